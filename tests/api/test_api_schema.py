from django.test import Client

from api_client import api, token_for  # noqa: F401  (fixtures)

EXPECTED = {
    "/api/v1/register": {"post"},
    "/api/v1/token": {"post"},
    "/api/v1/boards": {"get"},
    "/api/v1/boards/{slug}/threads": {"get", "post"},
    "/api/v1/posts/{post_id}": {"get"},
    "/api/v1/posts/{post_id}/tree": {"get"},
    "/api/v1/posts/{post_id}/replies": {"post"},
    "/api/v1/posts/{post_id}/vote": {"post"},
    "/api/v1/hot": {"get"},
    "/api/v1/on-this-day": {"get"},
    "/api/v1/messages": {"get", "post"},
    "/api/v1/messages/{message_id}": {"get"},
    "/api/v1/users/{username}": {"get"},
    "/api/v1/me": {"get", "patch"},
    "/api/v1/me/tokens": {"get"},
    "/api/v1/me/tokens/{token_id}": {"delete"},
    "/api/v1/search": {"get"},
    "/api/v1/keyword-rules": {"get", "post"},
    "/api/v1/keyword-rules/{rule_id}": {"delete"},
}


def test_openapi_lists_every_path_and_method(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, methods in EXPECTED.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    # Every read takes ?script= (and so may answer 422).
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "get":
                assert "script" in {p["name"] for p in operation.get("parameters", [])}, path
                assert "422" in operation["responses"], path
    assert paths["/api/v1/posts/{post_id}/replies"]["post"]["security"] == [{"BearerToken": []}]
    assert set(paths["/api/v1/posts/{post_id}/replies"]["post"]["responses"]) >= {"201", "401", "403", "404", "413", "422"}
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_docs_page_is_served(client, db):
    assert client.get("/api/v1/docs").status_code == 200


def test_bearer_calls_need_no_csrf_token(alice, board, token_for):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/boards/finance/threads", {"title": "无需 CSRF"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}",
    )
    assert response.status_code == 201


def test_answers_are_readable_utf8_json(api, board):
    response = api.get("/boards")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "股市财经" in response.content.decode()
