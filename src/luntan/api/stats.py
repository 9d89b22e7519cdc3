"""Side lists: hot threads and on this day in earlier years."""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router

from luntan.stats import selectors

from .schemas import HotOut, OnThisDayOut, errors
from .script import ScriptParam

router = Router(tags=["热帖"])


@router.get(
    "/hot", response={200: list[HotOut], **errors(422)}, summary="热帖",
    description="最近 days 天里阅读（views）或回复（replies）最多的主题帖。",
)
def hot(
    request: HttpRequest,
    by: Literal["views", "replies"] = "views",
    days: int = Query(7, ge=1, le=365),
    script: ScriptParam = None,
):
    return selectors.hot(by=by, days=days)


@router.get(
    "/on-this-day", response={200: list[OnThisDayOut], **errors(422)}, summary="历史上的今天",
    description="往年今天发起的主题帖，每年一条：回复最多的那一帖，近年在前。",
)
def on_this_day(request: HttpRequest, script: ScriptParam = None):
    return selectors.on_this_day()
