"""Our templates and HTML-writing Python code stay inside the policy: no
inline script or style unless it carries the nonce, no style= attribute, no
on…= handler, no javascript: URL. A regression here would show up as a CSP
violation in the browser; this catches it in every template, visited or not."""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "luntan"
TEMPLATES = sorted(SRC.glob("**/templates/**/*.html"))
PYTHON = sorted(p for p in SRC.glob("**/*.py") if "migrations" not in p.parts)

NONCE = re.compile(r"""\snonce=["']\{\{\s*CSP_NONCE\s*\}\}["']""")
TAG = re.compile(r"<(?!!--)[a-zA-Z][^>]*>", re.S)
HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=""", re.I)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


def problems_in(text: str) -> list[str]:
    found = []
    for tag in TAG.findall(text):
        name = re.match(r"<([a-zA-Z]+)", tag).group(1).lower()
        if name == "script" and "src=" not in tag and not NONCE.search(tag):
            found.append(f"inline script without the nonce: {tag}")
        if name == "style" and not NONCE.search(tag):
            found.append(f"<style> without the nonce: {tag}")
        if HANDLER.search(tag):
            found.append(f"event handler: {tag}")
        if STYLE_ATTRIBUTE.search(tag):
            found.append(f"style attribute: {tag}")
    if re.search(r"javascript:", text, re.I):
        found.append("javascript: URL")
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_template_has_no_inline_script_style_or_handler(template):
    assert problems_in(template.read_text()) == []


def test_python_code_writes_no_inline_style_or_handler():
    for path in PYTHON:
        for literal in re.findall(r"""(['"])(<[a-zA-Z].*?)\1""", path.read_text()):
            assert problems_in(literal[1]) == [], path


def test_the_qr_codes_are_plain_svg():
    from luntan.web.templatetags.luntan import qr_svg

    svg = qr_svg("https://example.com/p/1/")
    assert problems_in(svg) == []
    assert "<script" not in svg and "<style" not in svg


def test_the_checker_sees_each_kind():
    assert problems_in("<script>x()</script>")
    assert problems_in("<style>p{}</style>")
    assert problems_in('<p style="color:red">')
    assert problems_in('<a href="#" onclick="x()">')
    assert problems_in('<a href="javascript:x()">')
    assert not problems_in('<script nonce="{{ CSP_NONCE }}">x()</script><script src="/static/a.js"></script>')
