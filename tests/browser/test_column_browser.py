"""A column in a real browser: the author writes an article with two section
headings through the form; readers see the summary, the table of contents
(whose links take them to the headings), and the author's tip box."""

import pytest
from playwright.sync_api import expect

from test_browser_flows import (  # noqa: F401  (fixtures)
    PHONE, follow, log_in, new_page, page, save_screenshot, scrolls_sideways, site_url,
)

FILLER = "\n\n".join(f"第{n}段。项王军壁垓下，兵少食尽，汉军及诸侯兵围之数重。" for n in range(1, 40))
BODY = (
    "项羽，名籍，下相人也。这一篇说他的起落。\n\n"
    f"## 起兵吴中\n\n{FILLER}\n\n"
    f"## 垓下之围\n\n夜闻汉军四面皆楚歌。\n\n{FILLER}"
)


@pytest.fixture
def alices_column(alice):
    from luntan.accounts.services import set_tip_links
    from luntan.columns.services import open_column

    set_tip_links(user=alice, alipay="https://qr.alipay.com/fkx12345abcde", wechat="wxp://f2f0AbCdEfGhIjKlMnOp")
    return open_column(owner=alice, title="慢读史记", intro="一周一篇。", slug="slow-reading")


def test_an_author_writes_an_article_and_a_reader_follows_its_table_of_contents(new_page, alice, alices_column):
    author = new_page()
    log_in(author, "alice")
    author.goto("/c/slow-reading/")
    follow(author.get_by_role("link", name="写文章"))
    author.locator("input[name=title]").fill("项羽本纪读后")
    author.locator("textarea[name=body]").fill(BODY)
    author.locator("textarea[name=references]").fill("司马迁《史记·项羽本纪》\n维基百科 https://zh.wikipedia.org/wiki/x")
    follow(author.get_by_role("button", name="发表", exact=True))
    article_url = author.url
    assert "/p/" in article_url

    reader = new_page()
    reader.goto(article_url)
    expect(reader.get_by_role("heading", name="项羽本纪读后", level=1)).to_be_visible()

    # The summary: generated from the body's first sentences.
    summary = reader.locator("article .summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("项羽，名籍，下相人也。")

    # The table of contents lists both headings; the second one is far below.
    toc = reader.get_by_role("navigation", name="目录")
    expect(toc).to_be_visible()
    links = toc.get_by_role("link")
    expect(links).to_have_text(["起兵吴中", "垓下之围"])
    second = reader.locator("article .body h2", has_text="垓下之围")
    expect(second).not_to_be_in_viewport()

    toc.get_by_role("link", name="垓下之围").click()

    expect(reader).to_have_url(article_url.split("#")[0] + "#sec-2")
    expect(second).to_have_attribute("id", "sec-2")
    expect(second).to_be_in_viewport()

    # The references: a plain line and a link.
    references = reader.locator("section.references li")
    expect(references).to_have_count(2)
    expect(references.nth(1).get_by_role("link", name="维基百科")).to_have_attribute(
        "href", "https://zh.wikipedia.org/wiki/x"
    )

    # The tip box: both payment links as QR codes.
    tip = reader.get_by_role("complementary", name="打赏")
    tip.scroll_into_view_if_needed()
    expect(tip).to_be_visible()
    expect(tip.locator("svg")).to_have_count(2)
    expect(tip).to_contain_text("支付宝")
    save_screenshot(reader, "column-article")

    # The column page lists it with its summary.
    reader.goto("/c/slow-reading/")
    row = reader.locator(".article-row", has_text="项羽本纪读后")
    expect(row).to_be_visible()
    expect(row.locator(".summary")).to_contain_text("项羽，名籍，下相人也。")


def test_a_draft_written_in_the_browser_stays_with_its_author(new_page, alice, alices_column):
    author = new_page()
    log_in(author, "alice")
    author.goto("/c/slow-reading/write/")
    author.locator("input[name=title]").fill("还没写完")
    author.locator("textarea[name=body]").fill("## 一\n\n草稿。\n\n## 二\n\n未完。")
    follow(author.get_by_role("button", name="存为草稿"))
    draft_url = author.url
    expect(author.get_by_role("status")).to_contain_text("只有你看得到")

    reader = new_page()
    response = reader.goto(draft_url)
    assert response.status == 404
    reader.goto("/c/slow-reading/")
    expect(reader.get_by_text("还没写完")).to_have_count(0)

    author.goto(draft_url)
    follow(author.get_by_role("button", name="现在发表"))
    reader.goto("/c/slow-reading/")
    expect(reader.locator(".article-row", has_text="还没写完")).to_be_visible()


def test_an_article_reads_on_a_phone_without_sideways_scrolling(new_page, alice, alices_column):
    from luntan.columns.services import write_article

    post = write_article(author=alice, column=alices_column, title="手机上读", body=BODY,
                         references=["https://example.com/" + "a-long-address-without-spaces/" * 4])
    phone = new_page(viewport=PHONE)
    phone.goto(post.get_absolute_url())
    expect(phone.get_by_role("navigation", name="目录")).to_be_visible()
    assert not scrolls_sideways(phone)
    save_screenshot(phone, "column-article-phone")
