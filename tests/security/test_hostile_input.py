"""No input a client can send makes the site answer 500.

Every parameter of every API operation (walked from the OpenAPI document:
path, query and JSON body, nested objects included) and of every page (the
URL patterns, the query names their views read, and every <form> found on
the pages, posted with its CSRF token) receives hostile values in turn: huge
integers, digits that are not ASCII, doubled signs, 5,000 digits, the first
and last days of the calendar, control characters, lone surrogates, very
long strings, wrong JSON types and nothing at all. The answer may refuse, but
with a 4xx; in the API every 4xx is JSON with `detail`.

Each request that writes runs in a savepoint rolled back afterwards, so every
form meets the same community, built through the services, and a logout or a
deletion does not end the sweep early. Rate limits are off so that the
services get past them to the values.
"""

import inspect
import json
import re
import time
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from luntan.accounts.services import issue_token
from luntan.columns.services import open_column, write_article
from luntan.forum import services as forum
from luntan.messages import services as messages
from luntan.moderation import bans, moderators, reports, rules
from luntan.web.services import save_site_page

pytestmark = pytest.mark.django_db

# What a query string or a form field receives (str: sent as it is; bytes: raw
# percent-encoded bytes, for what a str cannot carry, such as invalid UTF-8).
HOSTILE_TEXT = [
    "99999999999999999999999999",
    "²",
    "--1",
    "9" * 5000,
    "9999-12-31",
    "0001-01-01",
    "\x00",
    "a\x0bb\x1b[0m\x7f\x85",
    b"%ED%A0%80",  # a lone surrogate in UTF-8: not UTF-8 at all
    "长" * 30_000,
    "",
]
# What a JSON body property receives: raw JSON text, so that numbers of any
# size and lone surrogate escapes go out exactly as written.
HOSTILE_JSON = [
    "99999999999999999999999999",
    "9" * 5000,
    "-1",
    "1.5",
    "1e400",
    '"²"',
    '"--1"',
    '"' + "9" * 5000 + '"',
    '"9999-12-31T23:59:59"',
    '"0001-01-01T00:00:00"',
    '"\\u0000"',
    '"a\\u000bb\\u001b\\u0085"',
    '"\\ud800"',
    json.dumps("长" * 30_000),
    '""',
    "true",
    "null",
    "[]",
    '["\\ud800", 99999999999999999999999999]',
]


@pytest.fixture
def community(settings, media_root, alice, bob, operator, make_user, board):
    """A small forum with one of everything, built through the services:
    Alice is the member the sweep signs in as, the operator the other."""
    settings.LUNTAN = {**settings.LUNTAN, "RATE_LIMITS": {}}
    carol = make_user("carol")
    thread = forum.create_thread(author=alice, board=board, title="读懂市场的七个要点", body="第一段\n\n第二段")
    reply = forum.reply(author=bob, parent=thread, title="回复：要点", body="说得好")
    forum.vote(user=bob, post=thread, value=1)
    column = open_column(owner=alice, title="慢读史记", intro="读书笔记", slug="slow-reading")
    article = write_article(author=alice, column=column, title="项羽本纪读后", body="项羽二十四岁起兵。")
    draft = write_article(author=alice, column=column, title="草稿", body="还没写完", publish=False)
    to_alice = messages.send(sender=bob, recipient=alice, body="你好，爱丽丝")
    messages.send(sender=alice, recipient=bob, body="你好，鲍勃")
    messages.notify(user=alice, text="你的帖子有了新回复", url=reply.get_absolute_url())
    reports.report(reporter=bob, reason="广告", post_id=thread.pk)
    reports.report(reporter=alice, reason="骚扰", message_id=to_alice.pk)
    moderators.appoint_moderator(actor=operator, board=board, user=bob)
    ban = bans.ban(actor=operator, user=carol, board=board, days=3, reason="刷屏")
    rule = rules.add_rule(actor=operator, pattern="待审词", action="review", category="广告")
    held = forum.create_thread(author=bob, board=board, title="含待审词的帖子", body="待审词")
    page = save_site_page(slug="about", title="关于本站", body="论坛简介")
    from luntan.accounts.models import ApiToken
    from luntan.accounts.services import issue_token
    from luntan.moderation.models import Report, ReviewItem

    issue_token(user=alice, label="另一台电脑")
    return {
        "alice": alice, "bob": bob, "operator": operator, "carol": carol, "board": board, "thread": thread,
        "reply": reply, "column": column, "article": article, "draft": draft, "message": to_alice,
        "ban": ban, "rule": rule, "held": held, "page": page,
        "report": Report.objects.filter(post=thread).first(),
        "item": ReviewItem.objects.filter(post=held).first(),
        "token": ApiToken.objects.filter(user=alice).first(),
    }


def rolled_back(send):
    """The response to `send()`, whatever it wrote undone."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


class Sweep:
    """Collects what went wrong, to report every 500 at once."""

    def __init__(self):
        self.failures: list[str] = []
        self.requests = 0

    def check(self, response, what: str, value, *, api: bool):
        self.requests += 1
        status = response.status_code
        shown = repr(value)[:60]
        if status >= 500:
            self.failures.append(f"{status}: {what} = {shown}")
        elif api and 400 <= status < 500:
            try:
                detail = response.json().get("detail")
            except (ValueError, AttributeError):
                detail = None
            if not isinstance(detail, str) or not detail:
                self.failures.append(f"{status} without JSON detail: {what} = {shown}")

    def finish(self):
        assert not self.failures, f"{len(self.failures)} of {self.requests} requests failed:\n" + "\n".join(
            self.failures[:80]
        )


# --- the API ------------------------------------------------------------------------


def _schema(node: dict, components: dict) -> dict:
    if "$ref" in node:
        return components[node["$ref"].rsplit("/", 1)[-1]]
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _schema(option, components)
    return node


def _valid(name: str, node: dict, data: dict):
    """A value the operation accepts for a body property, so that the hostile
    value of another property is what the operation meets."""
    known = {
        "title": "一个标题", "body": "正文", "to": data["bob"].username, "username": "newcomer_9",
        "password": "correct horse battery 9", "post": data["thread"].pk, "message": data["message"].pk,
        "board": data["board"].slug, "days": 3, "reason": "理由", "resolution": "已处理", "value": 1,
        "pattern": "新词", "references": ["史记 https://example.com/shiji"], "publish_at": None,
    }
    if node.get("enum"):
        return node["enum"][0]
    if name in known:
        return known[name]
    return {"integer": 1, "boolean": False, "array": [], "object": {}}.get(node.get("type"), "文字")


def _body_slots(schema: dict, components: dict, data: dict, prefix=()) -> tuple[dict, list[tuple]]:
    """A valid body for `schema` and the path of every property in it, nested ones included."""
    body, slots = {}, []
    for name, node in schema.get("properties", {}).items():
        node = _schema(node, components)
        if node.get("properties"):
            body[name], nested = _body_slots(node, components, data, prefix + (name,))
            slots += nested
        else:
            body[name] = _valid(name, node, data)
        slots.append(prefix + (name,))
    return body, slots


def _with_raw(body: dict, slot: tuple, raw: str) -> str:
    """`body` as JSON text with the property at `slot` replaced by raw JSON."""
    marker = "\u2063hostile\u2063"
    copy = json.loads(json.dumps(body))
    target = copy
    for key in slot[:-1]:
        target = target[key]
    target[slot[-1]] = marker
    return json.dumps(copy, ensure_ascii=False).replace(json.dumps(marker, ensure_ascii=False), raw)


def _path_values(path: str, data: dict) -> dict:
    articles = path.startswith("/articles/")
    return {
        "slug": data["column"].slug if path.startswith("/columns/") else data["board"].slug,
        "username": data["bob"].username,
        "post_id": (data["article"] if articles else data["thread"]).pk,
        "message_id": data["message"].pk,
        "rule_id": data["rule"].pk,
        "item_id": data["item"].pk,
        "report_id": data["report"].pk,
        "ban_id": data["ban"].pk,
        "token_id": data["token"].pk,
    }


def _fill(path: str, values: dict) -> str:
    """The path with its {names} filled; bytes go in as they are (already percent-encoded)."""
    return re.sub(r"\{(\w+)\}", lambda m: _quoted(values[m.group(1)]) if isinstance(values[m.group(1)], (str, bytes))
                  else str(values[m.group(1)]), path)


# What the query parameters of an operation get while another one is hostile:
# enough for the search to run its query, so that its dates are used.
_VALID_QUERY = {"q": "市场 要点"}
# Parameters whose schema is a closed set of words: pydantic alone checks them,
# the same way on every operation, so the first operation that has one is swept.
_SAME_EVERYWHERE = {"script"}
# Whole bodies that are not an object of the operation's shape.
_WHOLE_BODIES = ["", "{", '{"a": 1', "\x00", '"\\ud800"', "[]", "null", "9" * 5000]


class Operation:
    """One API operation, called with its parameters valid but for one."""

    def __init__(self, client: Client, method: str, path: str, spec: dict, components: dict, data: dict):
        self.client, self.method, self.spec = client, method, spec
        self.name = f"{method.upper()} /api/v1{path}"
        self.template, self.path_values = path, _path_values(path, data)
        self.query = {p["name"]: _VALID_QUERY[p["name"]] for p in spec.get("parameters", [])
                      if p["in"] == "query" and p["name"] in _VALID_QUERY}
        content = spec.get("requestBody", {}).get("content", {})
        self.multipart = "multipart/form-data" in content
        schema = content.get("application/json", {}).get("schema")
        self.body, self.slots = _body_slots(_schema(schema, components), components, data) if schema else ({}, [])
        self.json = json.dumps(self.body) if schema else None

    def url(self, path_values: dict | None = None, query: dict | None = None) -> str:
        url = "/api/v1" + _fill(self.template, {**self.path_values, **(path_values or {})})
        query = {**self.query, **(query or {})}
        if query:
            url += "?" + "&".join(f"{k}={_quoted(v)}" for k, v in query.items())
        return url

    def call(self, auth: dict, url: str | None = None, body: str | None = None):
        url = url or self.url()
        body = self.json if body is None else body
        send = getattr(self.client, self.method)
        if self.method == "get":
            return send(url, **auth)
        return rolled_back(lambda: send(url, body or "", content_type="application/json", **auth))


def _quoted(value) -> str:
    return value.decode() if isinstance(value, bytes) else quote(value, safe="")


def _operations(client: Client, data: dict) -> list[Operation]:
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    return [
        Operation(client, method, full_path.removeprefix("/api/v1"), spec, components, data)
        for full_path, operations in document["paths"].items()
        for method, spec in operations.items()
    ]


def _sweep_operation(operation: Operation, auth: dict, sweep: Sweep, swept: set):
    for parameter in operation.spec.get("parameters", []):
        where, key = parameter["in"], parameter["name"]
        if key in _SAME_EVERYWHERE:
            if key in swept:
                continue
            swept.add(key)
        for value in HOSTILE_TEXT:
            if where == "path":
                url = operation.url(path_values={key: value or " "})
            else:
                url = operation.url(query={key: value})
            sweep.check(operation.call(auth, url), f"{operation.name} {where} {key}", value, api=True)
    for slot in operation.slots:
        for raw in HOSTILE_JSON:
            response = operation.call(auth, body=_with_raw(operation.body, slot, raw))
            sweep.check(response, f"{operation.name} body {'.'.join(slot)}", raw, api=True)
    if operation.method != "get":
        for raw in _WHOLE_BODIES:
            sweep.check(operation.call(auth, body=raw or " "), f"{operation.name} whole body", raw, api=True)
    if operation.multipart:
        for value in HOSTILE_TEXT:
            payload = _quoted(value) if isinstance(value, bytes) else value
            send = getattr(operation.client, operation.method)
            response = rolled_back(lambda: send(operation.url(), {"file": payload}, **auth))
            sweep.check(response, f"{operation.name} form file", value, api=True)


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


@pytest.fixture
def quiet_request_log():
    """Django logs every 4xx as a warning: thousands of lines here."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("role", ["alice", "operator"])
def test_every_api_parameter_refuses_hostile_values_with_a_4xx_and_json_detail(community, role, quiet_request_log):
    """Each operation is swept as Alice where a member may call it, as the
    operator where only operators may (a member would be refused before her
    values are read)."""
    started = time.monotonic()
    sweep, swept = Sweep(), set()
    client = Client(raise_request_exception=False)
    member, operator = _bearer(community["alice"]), _bearer(community["operator"])
    count = 0
    for operation in _operations(client, community):
        members_refused = operation.call(member).status_code == 403
        if (role == "operator") != members_refused:
            continue
        _sweep_operation(operation, member if role == "alice" else operator, sweep, swept)
        count += 1
    assert count > (30 if role == "alice" else 5), count  # the walk found the operations
    print(f"{role}: {count} operations, {sweep.requests} API requests in {time.monotonic() - started:.1f} s")
    sweep.finish()


# --- the pages ------------------------------------------------------------------------


def _patterns(resolver=None, prefix=""):
    """(route, view) for every URL pattern of the site's own pages."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("api/", "admin/")):
                continue  # the API has its own sweep; Django's admin is Django's
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern) and not route.lstrip("^").startswith("media/"):
            yield route, entry.callback


def _page_values(route: str, data: dict) -> dict:
    if route.startswith("pages/"):
        slug = data["page"].slug
    elif route.startswith("c/"):
        slug = data["column"].slug
    else:
        slug = data["board"].slug
    post = data["thread"]
    if route.endswith(("publish/", "discard/")):
        post = data["draft"]
    elif route.endswith("pin/"):
        post = data["article"]
    return {
        "slug": slug, "post_id": post.pk, "username": data["bob"].username, "message_id": data["message"].pk,
        "item_id": data["item"].pk, "report_id": data["report"].pk, "ban_id": data["ban"].pk,
        "token_id": data["token"].pk,
    }


def _url(route: str, data: dict) -> str:
    values = _page_values(route, data)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(str(values[m.group(1)]), safe=""), route)


_GET_READ = re.compile(r"""GET\.get\(\s*["'](\w+)["']|["'](\w+)["'] (?:not )?in request\.GET""")


def _reads(function) -> set[str]:
    """The query names `function` reads itself: the string literals it gives
    request.GET, and the names in the constant tuples it mentions."""
    source = inspect.getsource(function)
    module = inspect.getmodule(function)
    names = {a or b for a, b in _GET_READ.findall(source)}
    if "request.GET" not in source:
        return names
    for constant in re.findall(r"\b([A-Z][A-Z_]+)\b", source):
        value = getattr(module, constant, None)
        if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            names |= set(value)
    return names


def _query_names(view) -> set[str]:
    """The query names a view reads, itself or through the functions it calls
    (one call deep: the shared helpers such as safe_next_url)."""
    if not inspect.isfunction(view):
        return {"script"}  # a feed: it reads the script itself (web/feeds.py), and nothing else
    target = inspect.unwrap(view)
    module = inspect.getmodule(target)
    names = _reads(target)
    for called in set(re.findall(r"\b(\w+)\(", inspect.getsource(target))):
        helper = getattr(module, called, None)
        if inspect.isfunction(helper) and helper is not target:
            names |= _reads(helper)
    return names


class Forms(HTMLParser):
    """Every <form method="post"> of a page: its action and its fields with
    the values the page gives them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif self._current is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            # A file input gets the hostile text as a plain field: the uploads have tests of their own.
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self._current["fields"].setdefault(attrs["name"], attrs.get("value") or "")
            else:
                self._current["fields"].setdefault(attrs["name"], "")
        elif tag == "button":  # a named submit button sends its value (the vote form's 1 or -1)
            self._current["fields"].setdefault(attrs["name"], attrs.get("value") or "")
        elif tag in ("textarea", "select"):
            self._current["fields"].setdefault(attrs["name"], "")
            self._textarea = attrs["name"] if tag == "textarea" else None

    def handle_data(self, text):
        if self._textarea and self._current is not None:
            self._current["fields"][self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "textarea":
            self._textarea = None


def _encoded(fields: dict, name: str, value) -> bytes:
    parts = []
    for key, current in fields.items():
        if key == name:
            raw = value if isinstance(value, bytes) else quote(value, safe="").encode()
        else:
            raw = quote(current, safe="").encode()
        parts.append(quote(key, safe="").encode() + b"=" + raw)
    return b"&".join(parts)


# Forms whose every outcome ends the member's visit rather than answering it.
_SKIPPED_ACTIONS = ("/accounts/logout/",)


def _discover(client: Client, data: dict) -> tuple[list, dict]:
    """The pages `client` may open (route, view, URL) and the forms on them,
    one of each shape (action with its ids as N, field names)."""
    pages, forms = [], {}
    for route, view in _patterns():
        url = _url(route, data)
        page = client.get(url)
        if page.status_code in (401, 403) or (page.status_code == 302 and "/accounts/login/" in page["Location"]):
            continue
        pages.append((route, view, url))
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            parser = Forms()
            parser.feed(page.content.decode())
            for form in parser.forms:
                action = form["action"] or url
                shape = (re.sub(r"/\d+/", "/N/", urlsplit(action).path), tuple(sorted(form["fields"])))
                forms.setdefault(shape, {**form, "action": action})
    return pages, forms


def _page_sweep(client: Client, pages: list, forms: dict, sweep: Sweep):
    for route, view, url in pages:
        # The script switch is read by the middleware, the same for every page: the home page stands for all.
        for name in sorted(_query_names(view) | ({"script"} if route == "" else set())):
            for value in HOSTILE_TEXT:
                response = client.get(f"{url}?{name}={_quoted(value)}")
                sweep.check(response, f"GET /{route} ?{name}", value, api=False)
    for (shape, _), form in sorted(forms.items()):
        if form["action"].startswith(_SKIPPED_ACTIONS):
            continue
        fields = form["fields"]
        for name in [n for n in fields if n != "csrfmiddlewaretoken"]:
            for value in HOSTILE_TEXT:
                body = _encoded(fields, name, value)
                response = rolled_back(lambda: client.post(
                    form["action"], body, content_type="application/x-www-form-urlencoded"))
                sweep.check(response, f"POST {shape} {name}", value, api=False)


def _browser(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["alice", "operator"])
def test_every_page_and_form_refuses_hostile_values_without_a_500(community, role, quiet_request_log):
    """Alice sweeps every page and form a member has; the operator those
    only operators have (the moderation pages and forms)."""
    started = time.monotonic()
    sweep = Sweep()
    pages, forms = _discover(_browser(community["alice"]), community)
    assert len(forms) > 10, sorted(forms)  # the walk reached the forms
    client = _browser(community[role])
    if role == "operator":
        members_pages = {url for _, _, url in pages}
        operators_pages, operators_forms = _discover(client, community)
        pages = [page for page in operators_pages if page[2] not in members_pages]
        forms = {shape: form for shape, form in operators_forms.items() if shape not in forms}
        assert len(forms) > 3, sorted(forms)
    _page_sweep(client, pages, forms, sweep)
    print(f"{role}: {len(pages)} pages, {len(forms)} forms, {sweep.requests} requests in {time.monotonic() - started:.1f} s")
    sweep.finish()
