"""Every page in the reader's script: the choice (?script=, cookie,
Accept-Language), whole-page conversion of interface and content, the author's
own text kept in edit boxes, the 简体 / 繁體 switch, and cache headers."""

import re
from html import unescape

import pytest

from luntan.forum.services import create_thread
from luntan.web.script import html_for_script, script_from_accept_language

pytestmark = pytest.mark.django_db

TRADITIONAL_TITLE = "讀懂市場：頭髮與發展"
TRADITIONAL_BODY = "以後再談乾燥的幹部。"


@pytest.fixture
def traditional_post(alice, board):
    return create_thread(author=alice, board=board, title=TRADITIONAL_TITLE, body=TRADITIONAL_BODY)


@pytest.fixture
def simplified_post(bob, board):
    return create_thread(author=bob, board=board, title="读懂市场：头发与发展", body="以后再谈干燥的干部。")


def page(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def html_lang(text: str) -> str:
    return re.search(r'<html lang="([^"]+)"', text).group(1)


def switch_links(text: str) -> dict[str, str]:
    """{label: (href, current?)} of the header's script switch."""
    nav = re.search(r'<nav class="script-switch".*?</nav>', text, re.S).group(0)
    return {
        label: (unescape(href), "aria-current" in attrs)
        for href, attrs, label in re.findall(r'<a href="([^"]*)"([^>]*)>([^<]*)</a>', nav)
    }


# --- content and interface -------------------------------------------------------


def test_traditional_post_reads_in_simplified_by_default(client_for, bob, traditional_post):
    text = page(client_for(bob), traditional_post.get_absolute_url())

    assert "读懂市场：头发与发展" in text
    assert "以后再谈干燥的干部。" in text
    assert '<h1 class="post-title">读懂市场：头发与发展</h1>' in text
    # The reply form's title starts from the parent's, in an edit box: as written.
    assert f'value="Re: {TRADITIONAL_TITLE}"' in text
    assert "发送悄悄话" in text and "回复" in text
    assert html_lang(text) == "zh-Hans"


def test_traditional_reader_sees_post_and_interface_in_traditional(client_for, bob, traditional_post):
    text = page(client_for(bob), traditional_post.get_absolute_url() + "?script=hant")

    assert TRADITIONAL_TITLE in text and TRADITIONAL_BODY in text
    assert "發送悄悄話" in text and "发送悄悄话" not in text
    assert "回覆" in text  # OpenCC's standard form of 回复
    assert "股市財經" in text  # the board name, written by the operator in Simplified
    assert html_lang(text) == "zh-Hant"


def test_simplified_post_reads_in_traditional_for_a_traditional_reader(client, simplified_post):
    text = page(client, simplified_post.get_absolute_url() + "?script=hant")
    assert "讀懂市場：頭髮與發展" in text
    assert "以後再談乾燥的幹部。" in text


def test_every_page_is_converted(client, thread, board):
    for url in ("/", board.get_absolute_url(), "/hot/", "/accounts/login/", "/accounts/register/"):
        text = page(client, url + "?script=hant")
        assert html_lang(text) == "zh-Hant", url
        assert "登錄" in text or "登入" in text or "註冊" in text, url


def test_error_pages_are_converted_too(client_for, bob, traditional_post):
    response = client_for(bob).get(f"/p/{traditional_post.pk}/edit/?script=hant")
    assert response.status_code == 403
    assert "只能編輯自己的帖子。" in response.content.decode()


# --- choosing and remembering ------------------------------------------------------


def test_the_choice_is_remembered_in_a_cookie(client, traditional_post):
    url = traditional_post.get_absolute_url()
    response = client.get(url + "?script=hant")

    cookie = response.cookies["script"]
    assert cookie.value == "hant"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/"

    assert TRADITIONAL_TITLE in page(client, url)
    assert TRADITIONAL_TITLE in page(client, "/b/finance/")  # any page, not just the one chosen on

    client.get("/?script=hans")
    assert "读懂市场：头发与发展" in page(client, url)


def test_the_parameter_works_on_any_url(client, board):
    response = client.get("/b/nowhere/?script=hant")
    assert response.status_code == 404
    assert response.cookies["script"].value == "hant"


def test_an_invalid_choice_is_ignored(client, traditional_post):
    url = traditional_post.get_absolute_url()
    response = client.get(url + "?script=xx")
    assert response.status_code == 200
    assert "script" not in response.cookies
    assert "读懂市场：头发与发展" in response.content.decode()

    client.cookies["script"] = "klingon"
    assert "读懂市场：头发与发展" in page(client, url, accept_language="en")
    assert TRADITIONAL_TITLE in page(client, url, accept_language="zh-TW")


@pytest.mark.parametrize("header", ["zh-TW", "zh-HK", "zh-MO", "zh-Hant", "zh-hant-tw", "ZH-TW", "zh-Hant-CN"])
def test_accept_language_asking_for_traditional(client, traditional_post, header):
    text = page(client, traditional_post.get_absolute_url(), accept_language=header)
    assert TRADITIONAL_TITLE in text and html_lang(text) == "zh-Hant"


@pytest.mark.parametrize("header", ["zh-CN", "zh", "zh-SG", "zh-Hans-HK", "en", "en-US,en;q=0.9", "fr, de;q=0.5", None])
def test_accept_language_asking_for_simplified_or_anything_else(client, traditional_post, header):
    headers = {"accept_language": header} if header else {}
    text = page(client, traditional_post.get_absolute_url(), **headers)
    assert "读懂市场：头发与发展" in text and html_lang(text) == "zh-Hans"


@pytest.mark.parametrize(
    ("header", "script"),
    [
        ("zh-CN;q=0.5, zh-TW;q=0.9", "hant"),
        ("zh-TW;q=0.5, zh-CN;q=0.9", "hans"),
        ("zh-CN, zh-TW", "hans"),  # equal q: the first
        ("zh-TW, zh-CN", "hant"),
        ("en-US,en;q=0.9,zh-TW;q=0.8,zh-CN;q=0.7", "hant"),  # the first zh tag decides, not the first tag
        ("en-US,en;q=0.9,zh-CN;q=0.8,zh-TW;q=0.7", "hans"),
        ("zh-TW;q=0, zh;q=0.5", "hans"),  # q=0: not wanted
        ("zh-TW;q=oops, zh-CN;q=0.1", "hans"),
        ("*", "hans"),
    ],
)
def test_accept_language_respects_q_values(header, script):
    assert script_from_accept_language(header) == script


def test_cookie_beats_accept_language_and_parameter_beats_cookie(client, traditional_post):
    url = traditional_post.get_absolute_url()
    client.cookies["script"] = "hans"
    assert "读懂市场：头发与发展" in page(client, url, accept_language="zh-TW")
    assert TRADITIONAL_TITLE in page(client, url + "?script=hant", accept_language="zh-CN")


def test_views_can_read_the_script_from_the_request(rf):
    from luntan.web.script import ReaderScriptMiddleware

    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen["script"] = request.script
        return HttpResponse("ok", content_type="text/plain")

    middleware = ReaderScriptMiddleware(view)
    middleware(rf.get("/", HTTP_ACCEPT_LANGUAGE="zh-HK"))
    assert seen["script"] == "hant"
    middleware(rf.get("/?script=hans", HTTP_ACCEPT_LANGUAGE="zh-HK"))
    assert seen["script"] == "hans"


# --- the author's text in edit boxes ---------------------------------------------------


def test_edit_page_keeps_a_traditional_post_as_written_for_a_simplified_reader(client_for, alice, traditional_post):
    text = page(client_for(alice), f"/p/{traditional_post.pk}/edit/?script=hans")

    assert f'<input name="title" required maxlength="200" value="{TRADITIONAL_TITLE}">' in text
    assert re.search(rf"<textarea name=\"body\"[^>]*>{TRADITIONAL_BODY}</textarea>", text)
    assert "编辑帖子" in text  # the interface around it is converted
    assert "读懂市场：头发与发展" in text  # e.g. in the title and breadcrumb


def test_edit_page_keeps_a_simplified_post_as_written_for_a_traditional_reader(client_for, bob, simplified_post):
    text = page(client_for(bob), f"/p/{simplified_post.pk}/edit/?script=hant")

    assert 'value="读懂市场：头发与发展"' in text
    assert re.search(r"<textarea name=\"body\"[^>]*>以后再谈干燥的干部。</textarea>", text)
    assert "編輯帖子" in text


def test_rejected_input_comes_back_as_typed(client_for, bob, board):
    client = client_for(bob)
    client.get("/?script=hant")
    response = client.post(f"/b/{board.slug}/new/", {"title": "", "body": "头发还没写标题"})
    text = response.content.decode()
    assert re.search(r"<textarea[^>]*>头发还没写标题</textarea>", text)


def test_protected_spans_survive_whole_page_conversion():
    html = (
        '<html lang="zh-Hans"><body><p>头发</p>'
        '<TEXTAREA name="b">头发</TEXTAREA>'
        '<input name="t" value="头发" >'
        "<p>发展</p><!--noconvert-->简体<!--/noconvert--><textarea>\n發展\n</textarea><p>以后</p></body></html>"
    )
    assert html_for_script(html, "hant") == (
        '<html lang="zh-Hant"><body><p>頭髮</p>'
        '<TEXTAREA name="b">头发</TEXTAREA>'
        '<input name="t" value="头发" >'
        "<p>發展</p><!--noconvert-->简体<!--/noconvert--><textarea>\n發展\n</textarea><p>以後</p></body></html>"
    )
    assert html_for_script(html, "hans").startswith('<html lang="zh-Hans"><body><p>头发</p>')


# --- the switch ---------------------------------------------------------------------


def test_switch_keeps_path_and_query(client, board):
    links = switch_links(page(client, "/b/finance/?cursor=X"))
    assert links == {
        "简体": ("/b/finance/?cursor=X&script=hans", True),
        "繁體": ("/b/finance/?cursor=X&script=hant", False),
    }


def test_switch_replaces_the_script_parameter_and_marks_the_current_one(client, thread):
    url = thread.get_absolute_url()
    links = switch_links(page(client, url + "?script=hant&view=flat"))
    assert links == {
        "简体": (f"{url}?script=hans&view=flat", False),
        "繁體": (f"{url}?script=hant&view=flat", True),
    }


def test_switch_labels_are_never_converted(client, thread):
    for script in ("hans", "hant"):
        text = page(client, f"/?script={script}")
        assert set(switch_links(text)) == {"简体", "繁體"}


def test_switch_addresses_survive_conversion(client, bob):
    links = switch_links(page(client, "/u/%E9%B2%8D%E5%8B%83/?script=hant"))
    assert links["简体"][0] == "/u/%E9%B2%8D%E5%8B%83/?script=hans"


# --- headers ----------------------------------------------------------------------


def test_pages_vary_by_cookie_and_accept_language(client, thread):
    response = client.get(thread.get_absolute_url())
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary


def test_content_length_matches_the_converted_page(client, thread):
    response = client.get("/?script=hant")
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


def test_non_html_is_left_alone(client, db):
    response = client.get("/healthz?script=hant")
    assert response.content == b"ok"
