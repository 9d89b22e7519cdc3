"""Share links, tipping QR codes, Open Graph tags and canonical URLs."""

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
import segno

from luntan.accounts.services import set_tip_links
from luntan.forum.services import create_thread, reply

ALIPAY = "https://qr.alipay.com/fkx12345abcde"
WECHAT = "wxp://f2f0AbCdEfGhIjKlMnOp"

SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules a segno SVG draws, read back from its path: a tiny
    decoder for the one shape segno writes (M/m moves, h runs along a row)."""
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    (path,) = [el for el in root.iter() if el.tag.endswith("path")]
    dark, x, y = set(), 0.0, 0.0
    for command, args in re.findall(r"([MmHhVv])([^MmHhVv]*)", path.get("d")):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            for column in range(int(x), int(x + numbers[0])):
                dark.add((int(y), column))
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def decodes_to(svg: str, data: str) -> bool:
    """Whether the drawn symbol is exactly segno's QR code for `data`."""
    qr = segno.make(data, micro=False)
    border = 2
    expected = {
        (row + border, column + border)
        for row, line in enumerate(qr.matrix)
        for column, module in enumerate(line)
        if module
    }
    return svg_modules(svg) == expected


def meta(page: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    assert found, key
    return html.unescape(found[1])


def canonical(page: str) -> str:
    found = re.findall(r'<link rel="canonical" href="([^"]*)">', page)
    assert len(found) == 1, found
    return html.unescape(found[0])


@pytest.fixture
def tipping_alice(alice):
    return set_tip_links(user=alice, alipay=ALIPAY, wechat=WECHAT)


# --- sharing ------------------------------------------------------------------


def test_share_links_carry_the_encoded_page_url(client, thread):
    page = client.get(f"/p/{thread.pk}/").content.decode()
    url = f"http://testserver/p/{thread.pk}/"
    assert re.search(rf'<input class="share-url" type="text" readonly value="{re.escape(url)}"', page)
    hrefs = {m[0]: html.unescape(m[1]) for m in re.findall(r'<a class="share-(\w+)" href="([^"]*)"', page)}
    assert set(hrefs) == {"weibo", "x", "facebook"}
    weibo, x, facebook = (urlsplit(hrefs[k]) for k in ("weibo", "x", "facebook"))
    assert (weibo.netloc, weibo.path) == ("service.weibo.com", "/share/share.php")
    assert parse_qs(weibo.query) == {"url": [url], "title": [thread.title]}
    assert (x.netloc, x.path) == ("twitter.com", "/intent/tweet")
    assert parse_qs(x.query) == {"url": [url], "text": [thread.title]}
    assert (facebook.netloc, facebook.path) == ("www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(facebook.query) == {"u": [url]}
    assert "url=http%3A%2F%2Ftestserver%2Fp%2F" in hrefs["weibo"]  # encoded, not pasted raw
    for kind in hrefs:
        assert re.search(rf'<a class="share-{kind}" href="[^"]*" rel="noopener nofollow" target="_blank">', page)


def test_wechat_qr_code_is_the_page_url(client, thread):
    page = client.get(f"/p/{thread.pk}/").content.decode()
    share = page[page.index('class="share-box"'):]
    svg = SVG.search(share)[0]
    assert "微信扫一扫分享" in share
    assert decodes_to(svg, f"http://testserver/p/{thread.pk}/")


def test_share_box_on_replies_and_flat_view(client, thread, bob):
    child = reply(author=bob, parent=thread, title="Re: 好文", body="同意")
    page = client.get(f"/p/{child.pk}/").content.decode()
    assert f'value="http://testserver/p/{child.pk}/"' in page
    flat = client.get(f"/p/{thread.pk}/?view=flat").content.decode()
    assert f'value="http://testserver/p/{thread.pk}/?view=flat"' in flat


# --- tipping -------------------------------------------------------------------


def test_tip_box_shows_two_qr_codes(client, tipping_alice, board):
    thread = create_thread(author=tipping_alice, board=board, title="打赏测试", body="正文。")
    for url in (f"/p/{thread.pk}/", tipping_alice.get_absolute_url()):
        page = client.get(url).content.decode()
        assert page.count('class="tip-box"') == 1, url
        box = page[page.index('class="tip-box"'):page.index("</aside>", page.index('class="tip-box"'))]
        assert "觉得文章有用就打赏一下作者" in box
        assert "支付宝扫一扫" in box and "微信扫一扫" in box
        svgs = SVG.findall(box)
        assert len(svgs) == 2
        assert decodes_to(svgs[0], ALIPAY) and decodes_to(svgs[1], WECHAT)
        for svg in svgs:
            assert svg.isascii() and "script" not in svg.lower() and " on" not in svg.lower()
            assert svg == segno.make(ALIPAY if svg is svgs[0] else WECHAT, micro=False).svg_inline(
                scale=4, border=2, svgclass="qr", lineclass=None
            )


def test_tip_qr_codes_pass_the_script_middleware_unharmed(client, tipping_alice):
    hans = client.get(tipping_alice.get_absolute_url() + "?script=hans").content.decode()
    hant = client.get(tipping_alice.get_absolute_url() + "?script=hant").content.decode()
    assert "覺得文章有用就打賞一下作者" in hant  # the words are converted …
    assert SVG.findall(hans) == SVG.findall(hant)  # … the codes are not
    assert len(SVG.findall(hant)) == 2


def test_no_tip_box_without_links(client, thread, alice):
    for url in (f"/p/{thread.pk}/", alice.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "tip-box" not in page and "打赏一下作者" not in page


def test_tip_box_only_on_the_first_post(client, tipping_alice, board, bob):
    thread = create_thread(author=tipping_alice, board=board, title="主帖", body="正文。")
    own_reply = reply(author=tipping_alice, parent=thread, title="Re: 主帖", body="补充")
    assert "tip-box" not in client.get(f"/p/{own_reply.pk}/").content.decode()
    flat = client.get(f"/p/{thread.pk}/?view=flat").content.decode()
    assert flat.count('class="tip-box"') == 1


def test_only_one_link_gives_one_code(client, alice):
    set_tip_links(user=alice, wechat=WECHAT)
    page = client.get(alice.get_absolute_url()).content.decode()
    box = page[page.index('class="tip-box"'):]
    assert "微信扫一扫" in box and "支付宝扫一扫" not in box
    assert len(SVG.findall(box)) == 1


# --- Open Graph, Twitter card, canonical ----------------------------------------------


def test_open_graph_tags_are_escaped(client, alice, board):
    title = 'Say "hi" <b>bold</b> & 再见'
    thread = create_thread(author=alice, board=board, title=title, body="**第一句**很重要。第二句<script>x</script>。")
    page = client.get(f"/p/{thread.pk}/?script=hans").content.decode()
    head = page[: page.index("</head>")]
    assert "<b>bold" not in head and "<script>x" not in head
    assert meta(page, "og:title") == title
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == f"http://testserver/p/{thread.pk}/"
    assert meta(page, "og:site_name")
    assert meta(page, "twitter:card") == "summary"
    description = meta(page, "og:description")
    assert description.startswith("第一句很重要。") and "**" not in description


def test_canonical_on_every_page_without_script(client, thread, alice):
    cases = {
        "/?script=hant": "http://testserver/",
        f"/b/{thread.board.slug}/?script=hans&cursor=abc": f"http://testserver/b/{thread.board.slug}/?cursor=abc",
        f"/p/{thread.pk}/?view=flat&script=hant&utm_source=x": f"http://testserver/p/{thread.pk}/?view=flat",
        f"/p/{thread.pk}/?cursor=": f"http://testserver/p/{thread.pk}/",
        "/hot/?script=hant": "http://testserver/hot/",
        alice.get_absolute_url() + "?script=hant": "http://testserver" + alice.get_absolute_url(),
    }
    for path, expected in cases.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert canonical(response.content.decode()) == expected, path


def test_canonical_is_ascii_and_escaped(client, bob):
    page = client.get("/u/鲍勃/?script=hant&x=%22%3E%3Cb%3E").content.decode()
    href = canonical(page)
    assert href == 'http://testserver/u/%E9%B2%8D%E5%8B%83/?x=%22%3E%3Cb%3E'
    assert "<b>" not in page[: page.index("</head>")]


def test_flat_view_describes_the_thread(client, thread, bob):
    child = reply(author=bob, parent=thread, title="Re: 好文", body="跟帖的内容。")
    page = client.get(f"/p/{child.pk}/?view=flat").content.decode()
    assert meta(page, "og:title") == thread.title
    assert meta(page, "og:description") == "第一段 第二段"
    assert meta(page, "og:url") == f"http://testserver/p/{child.pk}/?view=flat"
