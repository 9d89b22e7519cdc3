import functools
from urllib.parse import quote, urlencode

import segno
from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from luntan.forum.models import Post
from luntan.forum.selectors import title_shown
from luntan.images import image_url
from luntan.zh.script import SCRIPT_CONFIG, convert_many

register = template.Library()

MAX_INDENT = 12


@register.filter
def indent(depth: int) -> int:
    """The indentation level of a tree line: deep trees stay readable on phones."""
    return min(depth, MAX_INDENT)


@register.simple_tag
def vote_share(count: int, other: int) -> str:
    """A vote count as the seed page shows it: `67%(2)`."""
    total = count + other
    percent = round(100 * count / total) if total else 0
    return f"{percent}%({count})"


@register.simple_tag(takes_context=True)
def reply_tree(context, posts: list[Post], current_id: int) -> SafeString:
    """The lines of a reply tree.

    Written in Python rather than as a template loop: a thread page's tree can
    run to hundreds of lines, and the template engine spends ~1 ms on each."""
    viewer = context["user"]
    # Reverse once, fill in per line: reverse() is the dearest call per line.
    urls = (reverse("post", args=[0]).replace("0", "{}"), reverse("profile", args=["~"]).replace("~", "{}"))
    lines = []
    for post in posts:
        shown = title_shown(viewer, post)
        if post.status == Post.Status.HELD and not shown:
            continue  # a held post: only its author sees it
        if shown:
            line = _tree_line(post, current_id, urls)
        else:
            line = format_html('<span class="gone">（该帖{}）</span>', post.get_status_display())
        lines.append(format_html('<li class="tree-line" data-indent="{}">{}</li>', indent(post.depth), line))
    return format_html('<ul class="tree">{}</ul>', mark_safe("\n".join(lines)))


def _tree_line(post: Post, current_id: int, urls: tuple[str, str]) -> SafeString:
    created = timezone.localtime(post.created)
    size = f"({post.size} bytes)" if post.size else "(无内容)"
    replies = f" {post.reply_count} 回复" if post.depth == 0 and post.reply_count else ""
    return format_html(
        '<a href="{}"{}>{}{}</a>{} <span class="meta"><a class="author" href="{}">{}</a> '
        '<time datetime="{}">{}</time> <span class="size">{}</span>{}</span>',
        urls[0].format(post.pk),
        mark_safe(' aria-current="page"') if post.pk == current_id else "",
        mark_safe('<span class="zt">转帖</span> ') if post.repost else "",
        post.title,
        format_html(' <span class="flag {}">{}</span>', post.status, post.get_status_display()) if not post.is_visible else "",
        urls[1].format(quote(post.author.username, safe="")),
        post.author.username,
        created.isoformat(),
        created.strftime("%Y-%m-%d %H:%M"),
        size,
        replies,
    )



# --- sharing, tipping, page metadata ------------------------------------------
# QR codes are drawn here by segno as inline SVG: no image requests, no
# JavaScript, and nothing but ASCII, so the script middleware leaves them be.

# Query parameters that never change what a page shows: the script choice
# (every script reads the same page) and the usual tracking tags.
_NOISE_PARAMS = frozenset({"script", "fbclid", "gclid", "spm", "from", "share", "ref"})
# Far longer than any query the site's own links carry (a 100-character search
# is 900 bytes encoded), and short enough that the address fits a QR code.
_CANONICAL_QUERY_MAX = 1500


@functools.lru_cache(maxsize=512)
def qr_svg(data: str, scale: int = 4) -> str:
    """`data` as a QR code: an inline <svg> (ASCII, no script), quiet zone of 2."""
    return segno.make(data, micro=False).svg_inline(scale=scale, border=2, svgclass="qr", lineclass=None)


def canonical_url(request) -> str:
    """This page's absolute address without `script`, tracking tags or empty
    parameters; meaningful parameters (?view=flat, ?cursor=…, ?q=…) stay,
    unless they are longer than anything the site links to (then none do)."""
    query = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in _NOISE_PARAMS and not key.startswith("utm_")
        for value in values
        if value.strip()
    ]
    url = request.build_absolute_uri(request.path)  # percent-encoded: ASCII
    encoded = urlencode(query)
    return f"{url}?{encoded}" if query and len(encoded) <= _CANONICAL_QUERY_MAX else url


@register.simple_tag(takes_context=True, name="canonical_url")
def canonical_url_tag(context) -> str:
    request = context.get("request")
    return canonical_url(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def open_graph(context, post) -> SafeString:
    """Open Graph and Twitter card tags for a post's page (the flat view: its thread)."""
    description = post.excerpt or post.title
    return format_html(
        '<meta property="og:type" content="article">\n'
        '<meta property="og:title" content="{}">\n'
        '<meta property="og:description" content="{}">\n'
        '<meta property="og:url" content="{}">\n'
        '<meta property="og:site_name" content="{}">\n'
        '<meta name="twitter:card" content="summary">\n'
        '<meta name="description" content="{}">',
        post.title, description, canonical_url(context["request"]), context.get("site_name", ""), description,
    )


@register.inclusion_tag("forum/_share_box.html", takes_context=True)
def share_box(context, title: str) -> dict:
    """Copy link, Weibo, X, Facebook, and a QR code of this page for WeChat."""
    request = context["request"]
    url = canonical_url(request)
    script = getattr(request, "script", None)
    if script in SCRIPT_CONFIG and title:
        # What the reader sees on the page is what they share.
        title = convert_many([title], SCRIPT_CONFIG[script])[0]
    return {
        "share_url": url,
        "weibo": "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": title}),
        "x": "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "qr": mark_safe(qr_svg(url)),
    }


TIP_LABELS = (("alipay", "支付宝扫一扫"), ("wechat", "微信扫一扫"))


@register.inclusion_tag("forum/_tip_box.html")
def tip_box(author) -> dict:
    """The author's tipping (打赏) QR codes; nothing at all without a link."""
    links = getattr(author, "tip_links", None) or {}
    codes = [
        {
            "service": service,
            "label": label,
            "url": links[service],
            "openable": links[service].startswith("https://"),
            "qr": mark_safe(qr_svg(links[service])),
        }
        for service, label in TIP_LABELS
        if links.get(service)
    ]
    return {"codes": codes}


@register.filter
def media_url(name: str) -> str:
    """The address of an uploaded image (a storage name from luntan.images)."""
    return image_url(name) if name else ""
