from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luntan.errors import UserError
from luntan.forum.models import Board

from . import selectors

FORM_FIELDS = ("q", "board", "author", "from", "to")


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"?{query.urlencode()}"


def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=&board=&author=&from=&to=&page=: the form, kept as typed, and the results."""
    form = {name: request.GET.get(name, "") for name in FORM_FIELDS}
    boards = list(Board.objects.filter(kind=Board.Kind.FORUM).only("slug", "name"))
    context = {"form": form, "boards": boards}
    try:
        params = selectors.parse_params(
            q=form["q"], board=form["board"], author=form["author"],
            date_from=form["from"], date_to=form["to"], page=request.GET.get("page", "1"),
        )
    except UserError as error:
        context.update(error=error.message, error_field=error.field)
        return render(request, "search/search.html", context, status=error.status)
    if params.board and params.board.slug not in {b.slug for b in boards}:
        boards.append(params.board)  # a column: still offered, as chosen
    if "q" not in request.GET:
        return render(request, "search/search.html", context)  # just the form
    result = selectors.search(params)
    context["result"] = result
    if result.page > 1:
        context["previous_url"] = _page_url(request, result.page - 1)
    if result.has_next:
        context["next_url"] = _page_url(request, result.page + 1)
    return render(request, "search/search.html", context)
