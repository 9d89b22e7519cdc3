"""GET /api/v1/search: the search page's query as JSON."""

import pytest

from luntan.forum import services

from api_client import api, assert_error  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(alice, board):
    return services.create_thread(
        author=alice, board=board, title="阿爾特曼訪談", body="他說：阿爾特曼與ＡＩ <i>未來</i>。"
    )


def test_search_answers_items_with_highlights_and_urls(api, interview):
    response = api.get("/search", {"q": "阿尔特曼"})

    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["page"] == 1 and body["has_next"] is False and body["message"] is None
    [item] = body["items"]
    assert item == {
        "id": interview.pk,
        "title": "阿尔特曼访谈",
        "title_html": "<mark>阿尔特曼</mark>访谈",
        "snippet_html": "他说：<mark>阿尔特曼</mark>与ＡＩ &lt;i&gt;未来&lt;/i&gt;。",
        "board": "finance",
        "board_name": "股市财经",
        "author": "alice",
        "created": item["created"],
        "url": interview.get_absolute_url(),
    }


def test_search_answers_in_the_readers_script(api, interview):
    [item] = api.get("/search", {"q": "ai", "script": "hant"}).json()["items"]

    assert item["title"] == "阿爾特曼訪談"
    assert item["snippet_html"] == "他說：阿爾特曼與<mark>ＡＩ</mark> &lt;i&gt;未來&lt;/i&gt;。"


def test_filters_and_pages(api, alice, bob, board, interview):
    for i in range(21):
        services.create_thread(author=bob, board=board, title=f"阿尔特曼{i}")

    first = api.get("/search", {"q": "阿尔特曼", "author": "鲍勃"}).json()
    second = api.get("/search", {"q": "阿尔特曼", "author": "鲍勃", "page": 2}).json()
    dated = api.get("/search", {"q": "阿尔特曼", "author": "alice", "from": "2000-01-01", "to": "2000-12-31"}).json()

    assert len(first["items"]) == 20 and first["has_next"]
    assert len(second["items"]) == 1 and not second["has_next"]
    assert {i["author"] for i in first["items"] + second["items"]} == {"鲍勃"}
    assert dated["items"] == []


def test_an_empty_query_answers_nothing_with_a_message(api, interview):
    body = api.get("/search", {"q": " ，"}).json()

    assert body["items"] == [] and body["message"]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"board": "nowhere"}, "nowhere"),
        ({"author": "nobody_here"}, "nobody_here"),
        ({"from": "2024-1-1"}, "YYYY-MM-DD"),
        ({"to": "tomorrow"}, "YYYY-MM-DD"),
        ({"from": "2024-05-02", "to": "2024-05-01"}, "晚于"),
        ({"page": 0}, "page"),
        ({"page": 51}, "page"),
        ({"page": "x"}, "page"),
        ({"script": "latin"}, "script"),
    ],
)
def test_invalid_parameters_answer_422(api, interview, params, says):
    assert_error(api.get("/search", {"q": "阿尔特曼", **params}), 422, says)


def test_search_is_described_in_the_openapi_schema(api):
    schema = api.client.get("/api/v1/openapi.json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}

    assert {"q", "board", "author", "from", "to", "page", "script"} <= parameters
