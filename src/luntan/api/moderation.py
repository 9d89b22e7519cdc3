"""Keyword rules (敏感词), for operators."""

from django.http import HttpRequest
from ninja import Router, Status

from luntan.errors import NotAllowed, NotFound
from luntan.moderation import selectors, services
from luntan.moderation.models import KeywordRule

from .auth import MEMBERS
from .schemas import KeywordRuleIn, KeywordRuleOut, errors
from .script import ScriptParam

router = Router(tags=["管理"])


def _operator(request: HttpRequest):
    if not request.auth.is_operator:
        raise NotAllowed("只有站务才能查看和修改关键词规则。")
    return request.auth


@router.get(
    "/keyword-rules", auth=MEMBERS, response={200: list[KeywordRuleOut], **errors(401, 403, 422)},
    summary="关键词规则列表（站务）",
)
def list_rules(request: HttpRequest, script: ScriptParam = None):
    _operator(request)
    return selectors.keyword_rules()


@router.post(
    "/keyword-rules", auth=MEMBERS, response={201: KeywordRuleOut, **errors(401, 403, 409, 422)},
    summary="添加关键词规则（站务）", description="立即生效；409：这个词（不计繁简、大小写、全半角和标点）已有规则。",
)
def add_rule(request: HttpRequest, payload: KeywordRuleIn):
    rule = services.add_rule(
        actor=_operator(request), pattern=payload.pattern, action=payload.action,
        category=payload.category, replacement=payload.replacement,
    )
    return Status(201, rule)


@router.delete(
    "/keyword-rules/{rule_id}", auth=MEMBERS, response={204: None, **errors(401, 403, 404, 422)},
    summary="删除关键词规则（站务）",
)
def delete_rule(request: HttpRequest, rule_id: int):
    actor = _operator(request)
    rule = KeywordRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("关键词规则不存在。")
    services.delete_rule(actor=actor, rule=rule)
    return Status(204, None)
