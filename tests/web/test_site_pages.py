"""The operator's own pages (about, contact, advertising, terms): rendered from
Markdown, linked from every page's footer, editable in the Django admin."""

import re

import pytest

from luntan.web.models import SitePage
from luntan.web.services import save_site_page


def footer_links(page: str) -> list[tuple[str, str]]:
    footer = re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group(0)
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', footer)


@pytest.mark.django_db
def test_a_site_page_renders_its_markdown(client):
    save_site_page(slug="contact", title="联系我们", body="## 写信\n\n请写信给**站务**。\n第二行\n\n<script>alert(1)</script>")

    response = client.get("/pages/contact/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>联系我们</h1>" in page
    assert '<h2 id="sec-1">写信</h2>' in page
    assert re.search(r"请写信给<strong>站务</strong>。<br\s*/?>\s*第二行", page)
    assert "<script>" not in page
    assert client.get("/pages/no-such-page/").status_code == 404


@pytest.mark.django_db
def test_every_page_footer_links_to_the_site_pages_in_order(client, thread):
    assert footer_links(client.get("/").content.decode()) == []
    save_site_page(slug="terms", title="使用条款", body="条款", position=3)
    save_site_page(slug="about", title="关于我们", body="我们是谁", position=1)

    for url in ("/", thread.get_absolute_url(), thread.board.get_absolute_url(), "/accounts/login/", "/pages/terms/"):
        assert footer_links(client.get(url).content.decode()) == [("/pages/about/", "关于我们"), ("/pages/terms/", "使用条款")]


@pytest.mark.django_db
def test_operator_uses_the_admin(client, operator):
    client.force_login(operator)

    index = client.get("/admin/")

    assert index.status_code == 200
    page = index.content.decode()
    assert "站点页面" in page and "版面" in page and "帖子" in page
    assert client.get("/admin/web/sitepage/").status_code == 200
    assert client.get("/admin/forum/post/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db
def test_members_are_kept_out_of_the_admin(client, alice):
    client.force_login(alice)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_change_form_saves_an_edit(client, operator):
    about = save_site_page(slug="about", title="关于", body="旧的介绍", position=1)
    client.force_login(operator)
    form = client.get(f"/admin/web/sitepage/{about.pk}/change/")
    assert form.status_code == 200
    assert "旧的介绍" in form.content.decode()

    response = client.post(
        f"/admin/web/sitepage/{about.pk}/change/",
        {"slug": "about", "title": "关于本站", "body": "新的介绍，**欢迎**。", "position": "2", "_save": "保存"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    about.refresh_from_db()
    assert (about.title, about.body, about.position) == ("关于本站", "新的介绍，**欢迎**。", 2)
    page = client.get("/pages/about/").content.decode()
    assert "<strong>欢迎</strong>" in page and "旧的介绍" not in page
    assert ("/pages/about/", "关于本站") in footer_links(page)


@pytest.mark.django_db
def test_admin_adds_a_site_page(client, operator):
    client.force_login(operator)

    response = client.post(
        "/admin/web/sitepage/add/", {"slug": "ads", "title": "广告服务", "body": "广告联系方式", "position": "4", "_save": "保存"}
    )

    assert response.status_code == 302
    assert SitePage.objects.get(slug="ads").title == "广告服务"
    assert "广告联系方式" in client.get("/pages/ads/").content.decode()
