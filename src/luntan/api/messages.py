"""Private messages (悄悄话)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Status

from luntan.accounts.selectors import member_named
from luntan.errors import Invalid
from luntan.messages import selectors, services

from .auth import MEMBERS
from .schemas import MessageBoxOut, MessageIn, MessageOut, errors
from .script import ScriptParam

router = Router(tags=["悄悄话"])

BOX_SIZE = 100


@router.get(
    "/messages", auth=MEMBERS, response={200: MessageBoxOut, **errors(401, 422)}, summary="收件箱或发件箱",
    description="box=inbox（默认）为收到的悄悄话，box=sent 为发出的；都带上未读数 unread。",
)
def list_messages(request: HttpRequest, box: Literal["inbox", "sent"] = "inbox", script: ScriptParam = None):
    user = request.auth
    if box == "inbox":
        items = list(selectors.inbox(user)[:BOX_SIZE])
        for message in items:
            message.recipient = user  # known already: spares a query per message
    else:
        items = list(selectors.sent(user)[:BOX_SIZE])
        for message in items:
            message.sender = user
    return {"box": box, "unread": selectors.unread_count(user), "items": items}


@router.post(
    "/messages", auth=MEMBERS, response={201: MessageOut, **errors(401, 403, 404, 413, 422)}, summary="发悄悄话",
)
def send_message(request: HttpRequest, payload: MessageIn):
    name = payload.to.strip()
    if not name:
        raise Invalid("请填写收件人。", field="to")
    recipient = member_named(name, missing=f"收件人「{name}」不存在。", field="to")
    return Status(201, services.send(sender=request.auth, recipient=recipient, body=payload.body))


@router.get(
    "/messages/{message_id}", auth=MEMBERS, response={200: MessageOut, **errors(401, 404, 422)},
    summary="一条悄悄话", description="收件人读取时标为已读。",
)
def get_message(request: HttpRequest, message_id: int, script: ScriptParam = None):
    message = selectors.message_for(request.auth, message_id)
    services.mark_read(user=request.auth, message=message)
    return message
