"""Moderation: keyword rules (敏感词, operators), moderators (版主), acts on
posts, the review queue, reports (举报), the moderation log, bans, and the
notices (通知) those acts send. Thin: the rules live in moderation's acts
(acts, review, bans, moderators, reports, rules) and moderation.selectors;
the action string of /posts/{id}/moderate is translated by acts.perform.

What a caller may not even see answers 404 (a hidden post, a review item or
report of a board they do not moderate); what they see but may not do, 403.
"""

from django.http import HttpRequest
from ninja import Query, Router, Status

from luntan.accounts.models import User
from luntan.accounts.selectors import member_named
from luntan.errors import NotAllowed, NotFound
from luntan.forum import selectors as forum_selectors
from luntan.forum.models import Board
from luntan.messages import selectors as message_selectors
from luntan.messages import services as message_services
from luntan.moderation import acts, bans, moderators, reports, review, rules, selectors

from .auth import MEMBERS
from .forum import forum_board
from .schemas import (
    BanIn, BanOut, BoardOut, KeywordRuleIn, KeywordRuleOut, ModerateIn, ModerationLogOut, NoticesOut, NoticesReadOut,
    PostOut, ReportIn, ReportOut, ResolveReportIn, ReviewDecisionIn, ReviewItemOut, errors,
)
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
    rule = rules.add_rule(
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
    rules.delete_rule(actor=actor, rule=selectors.keyword_rule(rule_id))
    return Status(204, None)


# --- shared -----------------------------------------------------------------------

LIST_SIZE = 100


def _staff(request: HttpRequest) -> User:
    """The caller, if they moderate some board or are an operator."""
    if not selectors.is_staff_anywhere(request.auth):
        raise NotAllowed("只有版主或站务才能这样做。")
    return request.auth


def _member(username: str, field: str | None = None) -> User:
    return member_named(username, missing=f"用户「{username}」不存在。", field=field)


def _moderated_board(request: HttpRequest, slug: str | None) -> Board | None:
    """The board of a ?board= filter, which the caller must moderate (None: no filter)."""
    if not slug:
        return None
    board = forum_board(slug)
    if not selectors.is_moderator(request.auth, board):
        raise NotAllowed(f"你不是「{board.name}」的版主。")
    return board


# --- moderators -------------------------------------------------------------------


def _appointment(request: HttpRequest, slug: str, username: str) -> tuple[Board, User]:
    if not request.auth.is_operator:
        raise NotAllowed("只有站务才能任免版主。")
    return forum_board(slug), _member(username)


@router.put(
    "/boards/{slug}/moderators/{username}", auth=MEMBERS, response={200: BoardOut, **errors(401, 403, 404, 422)},
    summary="任命版主（站务）", description="已是版主也回答 200。返回版面，含现在的版主。",
)
def appoint_moderator(request: HttpRequest, slug: str, username: str):
    board, user = _appointment(request, slug, username)
    moderators.appoint_moderator(actor=request.auth, board=board, user=user)
    return forum_selectors.board_by_slug(board.slug)


@router.delete(
    "/boards/{slug}/moderators/{username}", auth=MEMBERS, response={200: BoardOut, **errors(401, 403, 404, 422)},
    summary="撤销版主（站务）", description="404：版面或用户不存在，或此人不是这个版的版主。返回版面，含现在的版主。",
)
def dismiss_moderator(request: HttpRequest, slug: str, username: str):
    board, user = _appointment(request, slug, username)
    moderators.dismiss_moderator(actor=request.auth, board=board, user=user)
    return forum_selectors.board_by_slug(board.slug)


# --- acts on posts -----------------------------------------------------------------


@router.post(
    "/posts/{post_id}/moderate", auth=MEMBERS, response={200: PostOut, **errors(401, 403, 404, 409, 422)},
    summary="处理帖子（版主、站务）",
    description="隐藏、恢复、删除、锁定、置顶、加精、移动（board）或改标题（title）。隐藏和删除须写原因，作者会收到通知。"
    "403：不是本版版主；404：帖子不存在或你看不到；409：帖子现在的状态不能这样处理；422：操作或参数不对。",
)
def moderate(request: HttpRequest, post_id: int, payload: ModerateIn):
    post = forum_selectors.readable_post(request.auth, post_id)  # 404 if unseen; the service says 403
    target = None
    if payload.action == "move" and payload.board:
        try:
            target = forum_board(payload.board)
        except NotFound as error:
            raise NotFound(error.message, field="board") from None
    acts.perform(
        payload.action, actor=request.auth, post=post, reason=payload.reason, board=target, title=payload.title,
    )
    return forum_selectors.post_detail(post.pk)


# --- the review queue -----------------------------------------------------------------


@router.get(
    "/review-queue", auth=MEMBERS, response={200: list[ReviewItemOut], **errors(401, 403, 422)},
    summary="审核队列（版主、站务）",
    description=f"待审的帖子，先进先出，最多 {LIST_SIZE} 条：版主看到自己的版，站务看到全部。",
)
def review_queue(request: HttpRequest, script: ScriptParam = None):
    return list(selectors.review_queue(_staff(request)).order_by("created", "id")[:LIST_SIZE])


@router.post(
    "/review-queue/{item_id}", auth=MEMBERS, response={200: ReviewItemOut, **errors(401, 403, 404, 409, 422)},
    summary="审核一个帖子（版主、站务）",
    description="approve：帖子公开；reject：帖子保持隐藏，作者看到原因（必填）。409：已经审核过了；"
    "404：不存在，或不是你管的版。",
)
def decide_review(request: HttpRequest, item_id: int, payload: ReviewDecisionIn):
    actor = _staff(request)
    item = selectors.review_item(actor, item_id)
    review.decide_review(actor=actor, item=item, decision=payload.decision, reason=payload.reason)
    return selectors.review_item(actor, item.pk)


# --- reports ------------------------------------------------------------------------


@router.post(
    "/reports", auth=MEMBERS, response={201: ReportOut, **errors(401, 404, 409, 422)}, summary="举报帖子或悄悄话",
    description="post 与 message 二选一：能看到的公开帖子，或你收到的悄悄话。409：你已举报过，还在处理中。",
)
def report(request: HttpRequest, payload: ReportIn):
    made = reports.report(reporter=request.auth, reason=payload.reason, post_id=payload.post, message_id=payload.message)
    return Status(201, selectors.report_detail(made.pk))


@router.get(
    "/reports", auth=MEMBERS, response={200: list[ReportOut], **errors(401, 403, 422)},
    summary="待处理的举报（版主、站务）",
    description=f"先进先出，最多 {LIST_SIZE} 条：版主看到自己版里帖子的举报，站务看到全部（含悄悄话）。",
)
def open_reports(request: HttpRequest, script: ScriptParam = None):
    reports = selectors.open_reports(_staff(request)).select_related("resolved_by").order_by("created", "id")
    return list(reports[:LIST_SIZE])


@router.post(
    "/reports/{report_id}", auth=MEMBERS, response={200: ReportOut, **errors(401, 403, 404, 409, 422)},
    summary="处理举报（版主、站务）",
    description="写下处理结果，举报人会收到通知。404：不存在，或不归你管；409：已经处理过了。",
)
def resolve_report(request: HttpRequest, report_id: int, payload: ResolveReportIn):
    actor = _staff(request)
    found = selectors.report_for(actor, report_id)
    reports.resolve_report(actor=actor, report=found, resolution=payload.resolution)
    return selectors.report_for(actor, found.pk)


# --- the log --------------------------------------------------------------------------


@router.get(
    "/moderation-log", auth=MEMBERS, response={200: list[ModerationLogOut], **errors(401, 403, 404, 422)},
    summary="版务日志（版主、站务）",
    description=f"最新的 {LIST_SIZE} 条，新的在前：版主看到自己的版，站务看到全部（含全站封禁）。"
    "board 为版面 slug：只看这个版（须是你管的版）。",
)
def moderation_log(request: HttpRequest, board: str | None = Query(None, description="版面 slug"),
                   script: ScriptParam = None):
    actor = _staff(request)
    return list(selectors.moderation_log(actor, _moderated_board(request, board))[:LIST_SIZE])


# --- bans -----------------------------------------------------------------------------


@router.post(
    "/bans", auth=MEMBERS, response={201: BanOut, **errors(401, 403, 404, 422)}, summary="封禁用户（版主、站务）",
    description="board：只禁止在这个版发帖、回复和投票（本版版主或站务）；不给 board 即全站封禁，悄悄话也不能发（仅站务）。"
    "days 不给即永久。",
)
def ban(request: HttpRequest, payload: BanIn):
    _staff(request)
    user = _member(payload.username, field="username")
    board = None
    if payload.board is not None:
        try:
            board = forum_board(payload.board)
        except NotFound as error:
            raise NotFound(error.message, field="board") from None
    made = bans.ban(actor=request.auth, user=user, board=board, days=payload.days, reason=payload.reason)
    return Status(201, selectors.ban_detail(made.pk))


@router.get(
    "/bans", auth=MEMBERS, response={200: list[BanOut], **errors(401, 403, 404, 422)},
    summary="生效中的封禁（版主、站务）",
    description="版主看到自己版的封禁，站务看到全部（含全站封禁）。board 为版面 slug：只看这个版（须是你管的版）。",
)
def list_bans(request: HttpRequest, board: str | None = Query(None, description="版面 slug"),
              script: ScriptParam = None):
    actor = _staff(request)
    return list(selectors.bans(actor, _moderated_board(request, board)).order_by("-created", "-id"))


@router.delete(
    "/bans/{ban_id}", auth=MEMBERS, response={200: BanOut, **errors(401, 403, 404, 409, 422)},
    summary="解除封禁（版主、站务）",
    description="版封禁由本版版主或站务解除，全站封禁只由站务。409：已经解除了。返回解除后的封禁（含 lifted_at）。",
)
def lift_ban(request: HttpRequest, ban_id: int, reason: str = Query("", description="解封原因（选填）")):
    _staff(request)
    found = selectors.ban_detail(ban_id)
    bans.lift_ban(actor=request.auth, ban=found, reason=reason)
    return selectors.ban_detail(found.pk)


# --- notices ----------------------------------------------------------------------------


@router.get(
    "/notices", auth=MEMBERS, response={200: NoticesOut, **errors(401, 422)}, summary="我的通知", tags=["通知"],
    description=f"站点发给你的通知（帖子被处理、举报的结果、封禁等），最新的 {LIST_SIZE} 条，新的在前。",
)
def notices(request: HttpRequest, script: ScriptParam = None):
    user = request.auth
    return {
        "unread": message_selectors.unread_notice_count(user),
        "items": list(message_selectors.notices(user)[:LIST_SIZE]),
    }


@router.post(
    "/notices/read", auth=MEMBERS, response={200: NoticesReadOut, **errors(401)}, summary="把通知全部标为已读",
    tags=["通知"],
)
def read_notices(request: HttpRequest):
    marked = message_services.mark_notices_read(user=request.auth)
    return {"marked": marked, "unread": message_selectors.unread_notice_count(request.auth)}
