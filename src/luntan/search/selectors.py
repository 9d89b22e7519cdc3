"""The search query: what the page and the API share.

A query is tokenized as the index is (`luntan.zh.segment`): each term (a run
of letters, digits and CJK characters between separators) becomes a phrase of
character tokens. Results come in two tiers: first the posts where every term
stands as written (its characters together, in any script or width), then the
posts that hold all the query's characters but not together. Each tier is
ranked by relevance (title above body, matching words above loose
characters); pages are 20 results, at most 50 pages.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from luntan.accounts.models import User
from luntan.errors import Invalid
from luntan.forum.models import Board, Post
from luntan.zh.normalize import fold_chars
from luntan.zh.segment import char_tokens, word_tokens

from .backends import Filters, Terms, backend
from .highlight import Highlighter

PAGE_SIZE = 20
MAX_PAGES = 50
MAX_QUERY_LENGTH = 100

_TERM = re.compile(r"[^\W_]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The days a search may start or end on. Python's own calendar ends at years 1
# and 9999, where a day's midnight in the site's time zone, or the day after
# the last one, no longer exists; no post is older or newer than these.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)

# What a result needs of its post, its board and its author: one query, no models.
RESULT_FIELDS = ("id", "title", "body_text", "created", "board__slug", "board__name", "author__username")

NO_QUERY = "请输入要搜索的词。"
NO_SEARCHABLE = "搜索词里没有可以搜索的字：标点和空格不算，请输入汉字、字母或数字。"


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    board: Board | None = None
    author: User | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    created: datetime
    board_slug: str
    board_name: str
    author: str
    title_html: SafeString
    snippet_html: SafeString

    @property
    def url(self) -> str:
        return reverse("post", args=[self.id])

    @property
    def board_url(self) -> str:
        return reverse("board", args=[self.board_slug])

    @property
    def author_url(self) -> str:
        return reverse("profile", args=[self.author])


@dataclass
class SearchPage:
    params: SearchParams
    hits: list[SearchHit] = field(default_factory=list)
    has_next: bool = False
    # Said instead of results: nothing to search for.
    message: str = ""

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def first_number(self) -> int:
        """The place of this page's first result in the whole list."""
        return (self.page - 1) * PAGE_SIZE + 1


def _searchable(token: str) -> bool:
    # Both databases' tokenizers drop characters that are neither letters nor
    # numbers (CJK radicals, symbols); a query made of them would match nothing.
    return any(unicodedata.category(char)[0] in "LN" for char in token)


def _unique(tokens) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tokens))


def parse_query(q: str) -> Terms | None:
    """The query as the index sees it; None if it holds nothing to search for."""
    phrases = []
    for run in _TERM.findall(fold_chars(q)):
        tokens = tuple(t for t in char_tokens(run) if _searchable(t))
        if tokens:
            phrases.append(tokens)
    if not phrases:
        return None
    return Terms(
        phrases=_unique(phrases),
        chars=_unique(t for phrase in phrases for t in phrase),
        words=_unique(w for w in word_tokens(q) if _searchable(w)),
    )


def _day(value: str, field_name: str, label: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{label}「{value}」不是有效的日期，请写成 YYYY-MM-DD，例如 2024-05-01。", field=field_name) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(f"{label}应在 {FIRST_DAY} 到 {LAST_DAY} 之间（现在是 {day}）。", field=field_name)
    return day


def parse_params(
    *, q: str = "", board: str = "", author: str = "", date_from: str = "", date_to: str = "", page: str | int = 1
) -> SearchParams:
    """Check what a reader typed; raises Invalid (422) naming the field at fault."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise Invalid(f"搜索词不能超过 {MAX_QUERY_LENGTH} 个字（现在 {len(q)} 个）。", field="q")
    found_board = None
    if board := (board or "").strip():
        found_board = Board.objects.filter(slug=board).only("id", "slug", "name").first()
        if found_board is None:
            raise Invalid(f"版面「{board}」不存在。", field="board")
    found_author = None
    if author := (author or "").strip():
        found_author = User.objects.filter(username=author).only("id", "username").first()
        if found_author is None:
            raise Invalid(f"用户「{author}」不存在。", field="author")
    start, end = _day(date_from, "from", "开始日期"), _day(date_to, "to", "结束日期")
    if start and end and start > end:
        raise Invalid(f"开始日期（{start}）晚于结束日期（{end}）。", field="from")
    try:
        number = int(str(page).strip() or 1)
    except ValueError:
        raise Invalid(f"页码「{page}」应为整数。", field="page") from None
    if not 1 <= number <= MAX_PAGES:
        raise Invalid(f"页码应在 1 到 {MAX_PAGES} 之间。", field="page")
    return SearchParams(q=q, board=found_board, author=found_author, date_from=start, date_to=end, page=number)


def _midnight(day: date) -> datetime:
    """The start of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _filters(params: SearchParams) -> Filters:
    return Filters(
        board_id=params.board.pk if params.board else None,
        author_id=params.author.pk if params.author else None,
        start=_midnight(params.date_from) if params.date_from else None,
        end=_midnight(params.date_to + timedelta(days=1)) if params.date_to else None,
    )


def _ranked_ids(terms: Terms, filters: Filters, page: int) -> tuple[list[int], bool]:
    """One page of post ids, tier 1 before tier 2, and whether more follow."""
    index = backend()
    offset, wanted = (page - 1) * PAGE_SIZE, PAGE_SIZE + 1
    ids = index.ranked(terms, filters, tier=1, limit=wanted, offset=offset)
    if len(ids) < wanted and terms.has_second_tier:
        # Tier 1 ends on or before this page: fill from tier 2, which
        # excludes tier 1 by its query. Where this page starts past tier 1's
        # end, tier 2 is entered that far in.
        skip = 0 if ids or not offset else offset - index.count(terms, filters, tier=1)
        ids += index.ranked(terms, filters, tier=2, limit=wanted - len(ids), offset=skip)
    return ids[:PAGE_SIZE], len(ids) > PAGE_SIZE and page < MAX_PAGES


def search(params: SearchParams) -> SearchPage:
    if not params.q:
        return SearchPage(params, message=NO_QUERY)
    terms = parse_query(params.q)
    if terms is None:
        return SearchPage(params, message=NO_SEARCHABLE)
    ids, has_next = _ranked_ids(terms, _filters(params), params.page)
    rows = (
        Post.objects.filter(pk__in=ids, status=Post.Status.PUBLIC).values_list(*RESULT_FIELDS) if ids else []
    )
    found = {row[0]: row for row in rows}
    highlighter = Highlighter(terms)
    hits = [
        SearchHit(
            id=post_id, title=title, created=created, board_slug=board_slug, board_name=board_name, author=author,
            title_html=highlighter.title(title), snippet_html=highlighter.snippet(body),
        )
        for post_id, title, body, created, board_slug, board_name, author in (found[i] for i in ids if i in found)
    ]
    return SearchPage(params, hits=hits, has_next=has_next)
