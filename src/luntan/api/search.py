"""Search: the same query as the /search/ page."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from luntan.search import selectors

from .schemas import errors
from .script import ScriptParam

router = Router(tags=["搜索"])


class SearchHitOut(Schema):
    id: int
    title: str
    title_html: str = Field(description="标题，命中的字包在 <mark> 里，其余已转义")
    snippet_html: str = Field(description="正文里命中处前后约 80 字，命中的字包在 <mark> 里，其余已转义")
    board: str = Field(description="版面 slug")
    board_name: str
    author: str
    created: datetime
    url: str


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    page: int
    has_next: bool = Field(description="还有下一页（最多 50 页）")
    message: str | None = Field(description="没有可搜索的词时的说明；有结果或没找到时为 null")


def _hit(hit: selectors.SearchHit) -> dict:
    return {
        "id": hit.id,
        "title": hit.title,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
        "board": hit.board_slug,
        "board_name": hit.board_name,
        "author": hit.author,
        "created": hit.created,
        "url": hit.url,
    }


@router.get(
    "/search", response={200: SearchPageOut, **errors(422)}, summary="搜索帖子",
    description="分词搜索，不分简繁、全角半角与大小写。先列词语连在一起出现的帖子，再列字都出现但不相连的帖子；"
    "各自按相关度排序，标题命中排在正文命中之前。每页 20 条，最多 50 页。"
    "board 为版面 slug，author 为用户名，from / to 为 YYYY-MM-DD（含当天，按站点时区）。"
    "筛选条件无效时返回 422。",
)
def search(
    request: HttpRequest,
    q: str = Query("", description=f"搜索词，至多 {selectors.MAX_QUERY_LENGTH} 字；空格分开的词都要出现"),
    board: str = Query("", description="版面 slug"),
    author: str = Query("", description="用户名"),
    date_from: str = Query("", alias="from", description="起始日期 YYYY-MM-DD（含当天）"),
    to: str = Query("", description="结束日期 YYYY-MM-DD（含当天）"),
    page: int = Query(1, ge=1, le=selectors.MAX_PAGES),
    script: ScriptParam = None,
):
    params = selectors.parse_params(q=q, board=board, author=author, date_from=date_from, date_to=to, page=page)
    result = selectors.search(params)
    return {
        "items": [_hit(hit) for hit in result.hits],
        "page": result.page,
        "has_next": result.has_next,
        "message": result.message or None,
    }
