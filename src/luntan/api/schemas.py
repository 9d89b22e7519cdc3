"""Request and response shapes. Every object that has a page carries its `url`."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from luntan.images import image_url
from luntan.markup import headings


class ErrorOut(Schema):
    detail: str = Field(description="给人看的中文说明")
    field: str | None = Field(None, description="出错的字段（如有）")


def errors(*statuses: int) -> dict:
    """The error statuses an endpoint may answer with, for the OpenAPI schema."""
    return dict.fromkeys(statuses, ErrorOut)


# --- accounts ----------------------------------------------------------------


class RegisterIn(Schema):
    username: str = Field(description="2 到 20 个字符：汉字、字母、数字、下划线")
    password: str
    email: str = ""


class TokenIn(Schema):
    username: str
    password: str
    label: str = Field("", description="给令牌起的名字，便于日后辨认；不给则用请求的 User-Agent")


class TokenOut(Schema):
    token: str = Field(description="放进 Authorization: Bearer <token>")


class TokenInfoOut(Schema):
    id: int
    label: str = Field(description="令牌的名字，或申请它的客户端（User-Agent）")
    created: datetime
    last_used: datetime | None = Field(description="最近一次使用（精确到分钟），从未用过为 null")
    current: bool = Field(description="是否就是本次请求所用的令牌")


class TipLinksOut(Schema):
    alipay: str | None = Field(None, description="支付宝收款链接（https://），没有则为 null")
    wechat: str | None = Field(None, description="微信收款链接（https:// 或 wxp://），没有则为 null")


class TipLinksIn(Schema):
    alipay: str | None = Field(None, description="https:// 链接；空字符串清除；不给则不改")
    wechat: str | None = Field(None, description="https:// 或 wxp:// 链接；空字符串清除；不给则不改")


class ProfileOut(Schema):
    username: str
    joined: datetime
    bio: str
    url: str
    thread_count: int = Field(description="公开的主题帖数")
    moderates: list[str] = Field(description="担任版主的版面 slug")
    tip_links: TipLinksOut = Field(description="打赏链接，页面上显示为二维码")


class MeOut(ProfileOut):
    email: str
    is_operator: bool
    unread_messages: int


class ProfileIn(Schema):
    bio: str | None = Field(None, description="简介；不给则不改")
    tip_links: TipLinksIn | None = Field(None, description="打赏链接；只改给出的键")


# --- forum -------------------------------------------------------------------


class BoardOut(Schema):
    slug: str
    name: str
    description: str
    kind: Literal["forum", "column"]
    moderators: list[str]
    url: str
    thread_count: int
    post_count: int
    last_activity: datetime | None

    @staticmethod
    def resolve_moderators(board) -> list[str]:
        return [m.username for m in board.moderators.all()]

    @staticmethod
    def resolve_url(board) -> str:
        return board.get_absolute_url()


PostStatus = Literal["public", "held", "hidden", "deleted", "draft"]


class _PostFields(Schema):
    id: int
    title: str
    author: str
    created: datetime
    reply_count: int = Field(description="跟帖数（所有后代）")
    views: int
    up: int
    down: int
    repost: bool = Field(description="转帖（ZT）")
    status: PostStatus
    url: str

    @staticmethod
    def resolve_author(post) -> str:
        return post.author.username

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()


class ThreadOut(_PostFields):
    """A thread in a board's list: no body."""

    last_activity: datetime
    size: int = Field(description="正文字节数；0 即（无内容）")
    pinned: bool
    featured: bool
    locked: bool


class ThreadPageOut(Schema):
    board: str
    items: list[ThreadOut] = Field(description="第一页先列置顶帖")
    next_cursor: str | None = Field(description="下一页的 cursor；没有下一页为 null")


class PostOut(_PostFields):
    thread: int = Field(description="主题帖（树根）的 id")
    parent: int | None
    board: str
    body: str
    body_html: str
    source: str
    edited: datetime | None
    depth: int
    pinned: bool
    featured: bool
    locked: bool
    status_reason: str = Field(description="版务隐藏、删除或审核拒绝的原因（作者看得到）；没有则为空字符串")

    @staticmethod
    def resolve_thread(post) -> int:
        return post.thread_id

    @staticmethod
    def resolve_parent(post) -> int | None:
        return post.parent_id

    @staticmethod
    def resolve_board(post) -> str:
        return post.board.slug


class NewThreadIn(Schema):
    title: str = Field(description="必填，至多 200 字")
    body: str = Field("", description="选填，Markdown")
    repost: bool = False
    source: str = Field("", description="转帖来源，仅转帖可填")


class ReplyIn(Schema):
    title: str = Field(description="必填，至多 200 字")
    body: str = Field("", description="选填，Markdown")


class TreeNodeOut(Schema):
    """A line of the tree. Hidden or deleted posts keep their place with no title, author or url."""

    id: int
    title: str
    author: str | None
    created: datetime
    size: int
    reply_count: int
    up: int
    down: int
    repost: bool
    status: PostStatus
    url: str | None
    children: list["TreeNodeOut"]


TreeNodeOut.model_rebuild()


class VoteIn(Schema):
    value: Literal[1, -1] = Field(description="1 赞，-1 踩；再投另一边即改票")


class VotesOut(Schema):
    up: int
    down: int


# --- side lists --------------------------------------------------------------


class HotOut(Schema):
    id: int = Field(description="主题帖 id")
    title: str
    author: str
    board: str = Field(description="版面名称")
    count: int = Field(description="期间的阅读数或回复数")
    url: str

    @staticmethod
    def resolve_id(entry) -> int:
        return entry.post_id


class OnThisDayOut(HotOut):
    year: int
    count: int = Field(description="回复数")


# --- private messages --------------------------------------------------------


class MessageOut(Schema):
    id: int
    sender: str
    recipient: str
    body: str
    body_html: str
    created: datetime
    read: bool
    read_at: datetime | None
    url: str

    @staticmethod
    def resolve_sender(message) -> str:
        return message.sender.username

    @staticmethod
    def resolve_recipient(message) -> str:
        return message.recipient.username

    @staticmethod
    def resolve_read(message) -> bool:
        return message.read_at is not None

    @staticmethod
    def resolve_url(message) -> str:
        return message.get_absolute_url()


class MessageBoxOut(Schema):
    box: Literal["inbox", "sent"]
    unread: int = Field(description="收件箱里未读的悄悄话数")
    items: list[MessageOut] = Field(description="最新的 100 条，新的在前")


class MessageIn(Schema):
    to: str = Field(description="收件人用户名")
    body: str


# --- keyword rules -------------------------------------------------------------


KeywordAction = Literal["block", "review", "replace", "allow"]


class KeywordRuleIn(Schema):
    pattern: str = Field(description="关键词；大小写、全半角、繁简、夹杂的空格标点都能识别")
    action: KeywordAction = Field(description="block 屏蔽（拒绝发表）；review 送审；replace 替换为＊；allow 放行（含它的更长的词）")
    replacement: str = Field("", description="仅 replace：替换成的文字；留空即同样多个＊")
    category: str = Field("", description="类别，如 广告、辱骂；被屏蔽时告诉发帖人")


class KeywordRuleOut(Schema):
    id: int
    pattern: str
    action: KeywordAction
    replacement: str
    category: str
    created: datetime


# --- columns -----------------------------------------------------------------


class ColumnOut(Schema):
    slug: str
    title: str
    intro: str
    owner: str
    avatar: str | None = Field(description="头像图片地址；没有则为 null")
    article_count: int = Field(description="已发表的文章数")
    last_activity: datetime | None
    url: str

    @staticmethod
    def resolve_title(column) -> str:
        return column.name

    @staticmethod
    def resolve_intro(column) -> str:
        return column.description

    @staticmethod
    def resolve_owner(column) -> str:
        return column.owner.username

    @staticmethod
    def resolve_avatar(column) -> str | None:
        return image_url(column.avatar) if column.avatar else None

    @staticmethod
    def resolve_article_count(column) -> int:
        return column.thread_count

    @staticmethod
    def resolve_url(column) -> str:
        return column.get_absolute_url()


class ColumnIn(Schema):
    title: str = Field(description="专栏名称，必填，至多 100 字")
    intro: str = Field("", description="简介，至多 2000 字")
    slug: str = Field("", description="专栏地址 /c/<slug>/：小写字母、数字、连字符；不给则自动生成")


class ColumnPatchIn(Schema):
    title: str | None = Field(None, description="不给则不改")
    intro: str | None = Field(None, description="不给则不改")


class ReferenceOut(Schema):
    text: str
    url: str = Field(description="链接；没有则为空字符串")


class HeadingOut(Schema):
    level: int
    text: str
    anchor: str = Field(description="文章页里小标题的 id：url#anchor")


class ArticleSummaryOut(_PostFields):
    """An article in a list: no body."""

    column: str = Field(description="专栏的 slug")
    summary: str
    cover: str | None = Field(description="封面图片地址；没有则为 null")
    pinned: bool
    featured: bool
    publish_at: datetime | None = Field(description="草稿的定时发表时间；没有则为 null")

    @staticmethod
    def resolve_column(post) -> str:
        return post.board.slug

    @staticmethod
    def resolve_summary(post) -> str:
        return post.article.summary

    @staticmethod
    def resolve_cover(post) -> str | None:
        return image_url(post.article.cover) if post.article.cover else None

    @staticmethod
    def resolve_publish_at(post) -> datetime | None:
        return post.article.publish_at


class ArticlePageOut(Schema):
    column: str
    items: list[ArticleSummaryOut] = Field(description="第一页先列置顶文章，然后从新到旧")
    next_cursor: str | None = Field(description="下一页的 cursor；没有下一页为 null")


class ArticleOut(ArticleSummaryOut):
    body: str
    body_html: str
    source: str
    edited: datetime | None
    references: list[ReferenceOut]
    toc: list[HeadingOut] = Field(description="目录：正文的一到三级小标题")
    tip_links: TipLinksOut = Field(description="作者的打赏链接")

    @staticmethod
    def resolve_references(post) -> list[dict]:
        return post.article.references

    @staticmethod
    def resolve_toc(post) -> list[dict]:
        return [{"level": h.level, "text": h.text, "anchor": h.anchor} for h in headings(post.body)]

    @staticmethod
    def resolve_tip_links(post) -> dict:
        links = post.author.tip_links or {}
        return {"alipay": links.get("alipay"), "wechat": links.get("wechat")}


class ArticleIn(Schema):
    title: str = Field(description="必填，至多 200 字")
    body: str = Field("", description="Markdown；## 小标题会生成目录")
    summary: str = Field("", description="摘要，至多 500 字；不给则从正文生成")
    references: list[str] = Field([], description="参考资料，一条一项：文字、链接，或“文字 链接”")
    repost: bool = False
    source: str = Field("", description="转载来源，仅转载可填")
    publish: bool = Field(True, description="true：现在发表；false：存为草稿（只有作者看得到）")
    publish_at: datetime | None = Field(None, description="定时发表的时间（存为草稿，到时自动发表）")


class ArticlePatchIn(Schema):
    title: str | None = None
    body: str | None = None
    summary: str | None = Field(None, description="空字符串：改为自动生成")
    references: list[str] | None = None
    repost: bool | None = None
    source: str | None = None
    publish_at: datetime | None = Field(None, description="草稿的定时发表时间")
    publish: bool = Field(False, description="true：现在发表这篇草稿")
    pinned: bool | None = Field(None, description="专栏作者置顶（true）或取消置顶（false）")


# --- moderation ----------------------------------------------------------------


ModerationAction = Literal[
    "hide", "restore", "delete", "lock", "unlock", "pin", "unpin", "feature", "unfeature", "move", "edit_title",
]


class ModerateIn(Schema):
    action: ModerationAction = Field(
        description="hide 隐藏；restore 恢复；delete 删除；lock/unlock 锁定/解锁；pin/unpin 置顶/取消；"
        "feature/unfeature 加精/取消；move 移到 board；edit_title 改标题为 title。锁定、置顶、加精和移动只用于主题帖"
    )
    reason: str = Field("", description="原因；隐藏和删除必填，作者和版务日志都会看到")
    board: str | None = Field(None, description="仅 move：目标版面的 slug")
    title: str | None = Field(None, description="仅 edit_title：新标题")


class ReviewItemOut(Schema):
    id: int
    post: PostOut = Field(description="待审的帖子（含正文）")
    reasons: list[str] = Field(description="送审原因：触发的关键词类别，或“新用户”")
    created: datetime
    decision: Literal["approve", "reject"] | None = Field(description="审核结果；未审为 null")
    decided_by: str | None = Field(description="审核人用户名")
    decided_at: datetime | None
    reason: str = Field(description="审核说明（拒绝时必填）")

    @staticmethod
    def resolve_decided_by(item) -> str | None:
        return item.decided_by.username if item.decided_by_id else None


class ReviewDecisionIn(Schema):
    decision: Literal["approve", "reject"] = Field(description="approve 通过（帖子公开）；reject 拒绝（帖子保持隐藏）")
    reason: str = Field("", description="说明；拒绝时必填，作者会看到")


class ReportIn(Schema):
    post: int | None = Field(None, description="被举报帖子的 id（与 message 二选一）")
    message: int | None = Field(None, description="被举报悄悄话的 id（须是你收到的）")
    reason: str = Field(description="举报理由，必填")


class ReportedPostOut(Schema):
    id: int
    title: str
    author: str
    board: str = Field(description="版面 slug")
    url: str

    @staticmethod
    def resolve_author(post) -> str:
        return post.author.username

    @staticmethod
    def resolve_board(post) -> str:
        return post.board.slug

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()


class ReportedMessageOut(Schema):
    id: int
    sender: str
    body: str
    created: datetime

    @staticmethod
    def resolve_sender(message) -> str:
        return message.sender.username


class ReportOut(Schema):
    id: int
    reporter: str
    post: ReportedPostOut | None = Field(description="被举报的帖子；举报悄悄话时为 null")
    message: ReportedMessageOut | None = Field(description="被举报的悄悄话；举报帖子时为 null")
    reason: str
    created: datetime
    resolved: bool
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str

    @staticmethod
    def resolve_reporter(report) -> str:
        return report.reporter.username

    @staticmethod
    def resolve_resolved(report) -> bool:
        return report.resolved_at is not None

    @staticmethod
    def resolve_resolved_by(report) -> str | None:
        return report.resolved_by.username if report.resolved_by_id else None


class ResolveReportIn(Schema):
    resolution: str = Field(description="处理结果，必填；举报人会收到通知")


LogAction = Literal[
    "hide", "restore", "delete", "lock", "unlock", "pin", "unpin", "feature", "unfeature", "move", "edit_title",
    "approve", "reject", "ban", "unban", "appoint", "dismiss", "resolve_report",
]


class ModerationLogOut(Schema):
    id: int
    action: LogAction
    action_name: str = Field(description="操作的中文名")
    actor: str | None = Field(description="操作人用户名；站点命令行为 null")
    board: str | None = Field(description="版面 slug；全站操作为 null")
    post: int | None = Field(description="帖子 id")
    target_user: str | None = Field(description="对象用户名")
    reason: str
    detail: dict = Field(description="其他信息：改标题的新旧标题、移动的来源和目标版面、封禁天数等")
    created: datetime

    @staticmethod
    def resolve_action_name(entry) -> str:
        return entry.get_action_display()

    @staticmethod
    def resolve_actor(entry) -> str | None:
        return entry.actor.username if entry.actor_id else None

    @staticmethod
    def resolve_board(entry) -> str | None:
        return entry.board.slug if entry.board_id else None

    @staticmethod
    def resolve_post(entry) -> int | None:
        return entry.post_id

    @staticmethod
    def resolve_target_user(entry) -> str | None:
        return entry.target_user.username if entry.target_user_id else None


class BanIn(Schema):
    username: str = Field(description="被封禁的用户名")
    board: str | None = Field(None, description="版面 slug；不给即全站封禁（仅站务）")
    days: int | None = Field(None, description="天数，1 到 3650；不给即永久")
    reason: str = Field(description="原因，必填；被封禁的人会收到通知")


class BanOut(Schema):
    id: int
    username: str
    board: str | None = Field(description="版面 slug；全站封禁为 null")
    until: datetime | None = Field(description="截止时间；永久为 null")
    reason: str
    created_by: str | None
    created: datetime
    lifted_at: datetime | None = Field(description="解封时间；未解封为 null")

    @staticmethod
    def resolve_username(ban) -> str:
        return ban.user.username

    @staticmethod
    def resolve_board(ban) -> str | None:
        return ban.board.slug if ban.board_id else None

    @staticmethod
    def resolve_created_by(ban) -> str | None:
        return ban.created_by.username if ban.created_by_id else None


class NoticeOut(Schema):
    id: int
    text: str
    url: str = Field(description="相关页面的地址；没有则为空字符串")
    created: datetime
    read: bool

    @staticmethod
    def resolve_read(notice) -> bool:
        return notice.read_at is not None


class NoticesOut(Schema):
    unread: int = Field(description="未读通知数")
    items: list[NoticeOut] = Field(description="最新的 100 条，新的在前")


class NoticesReadOut(Schema):
    marked: int = Field(description="这次标为已读的通知数")
    unread: int
