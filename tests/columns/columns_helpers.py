"""Fixtures and helpers for the column tests (not a conftest.py: a second one
would shadow tests/conftest.py's module name; the test modules import from here)."""

import io
import re
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "uploads"))  # the image test helpers
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # page_helpers

MB = 1024 * 1024




@pytest.fixture
def column(alice):
    """Alice's column at /c/slow-reading/."""
    from luntan.columns.services import open_column

    return open_column(owner=alice, title="慢读史记", intro="一周一篇，读《史记》的笔记。", slug="slow-reading")


@pytest.fixture
def write(alice, column):
    """Write an article in Alice's column (published unless told otherwise)."""
    from luntan.columns.services import write_article

    def make(title="项羽本纪读后", body="项羽二十四岁起兵。三年之间，灭秦封王。", **extra):
        return write_article(author=extra.pop("author", alice), column=extra.pop("column", column),
                             title=title, body=body, **extra)

    return make


def png_bytes(size=(64, 48), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def image_upload(name="cover.png", data: bytes | None = None, content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if data is None else data, content_type=content_type)


def text_of(html: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def plain(html: str) -> str:
    """The text of an inline HTML fragment: tags dropped without a space (<strong>加粗</strong>的 → 加粗的)."""
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def section(page: str, pattern: str) -> str:
    """The first element whose opening tag matches `pattern`, up to its closing tag of the same name."""
    found = re.search(pattern, page)
    assert found, f"no {pattern!r} in the page"
    tag = re.match(r"<(\w+)", page[found.start():]).group(1)
    end = page.index(f"</{tag}>", found.end())
    return page[found.start(): end + len(tag) + 3]


def article_rows(page: str) -> list[str]:
    """The titles of the article rows of a page, in order."""
    return [
        text_of(title)
        for title in re.findall(r'<h3 class="article-title">.*?<a href="/p/\d+/">(.*?)</a></h3>', page, re.S)
    ]


def form_value(page: str, name: str) -> str:
    """What a form field shows: an <input>'s value or a <textarea>'s text."""
    textarea = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    if textarea:
        return unescape(textarea.group(1))
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found, f"no field {name} in the form"
    return unescape(found.group(1))
