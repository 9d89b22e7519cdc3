"""Atom feeds: the whole site, a board, a thread, an author, a column.

Each feed is a `PostFeed` subclass whose `source()` names its subject: a
title, a subtitle, the HTML page it stands for, and the posts it draws from.
What every feed shares lives here once: only public posts of public threads,
newest first, at most FEED_SIZE, two queries at most (the subject, then the
entries), absolute links built from the request, each body as sanitised HTML
in `<content type="html">`, and the reader's script on request.

A column is a board of kind "column" owned by one author, so its feed is one
more small class: its articles are the board's threads.

Feeds are not text/html, so ReaderScriptMiddleware leaves them as the authors
wrote them; `?script=hans|hant` converts every text a person reads (titles,
bodies, names) in one OpenCC call.
"""

from dataclasses import dataclass, fields
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from luntan.accounts.models import User
from luntan.forum.models import Board, Post
from luntan.zh.controls import strip_unwanted
from luntan.zh.script import SCRIPT_CONFIG, SCRIPTS, Script, convert_many

FEED_SIZE = 30
NO_BODY = "<p>(无内容)</p>"  # as the post page shows a post without body
# What an entry shows; bodies come as the HTML the posting service sanitised.
ENTRY_FIELDS = ("id", "title", "body_html", "created", "edited", "author__username", "board__name")
_LANGUAGE: dict[Script | None, str] = {None: "zh", "hans": "zh-Hans", "hant": "zh-Hant"}


class AtomFeed(Atom1Feed):
    """Atom with each entry's body in `<content type="html">` (Django writes only `<summary>`)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class FeedSource:
    """What a feed is about. `posts` says which posts; PostFeed filters, orders and cuts them."""

    title: str
    page: str  # path of the HTML page the feed stands for
    posts: QuerySet[Post]
    subtitle: str = ""


@dataclass
class Entry:
    title: str
    content: str
    author: str
    author_page: str  # absolute
    category: str
    page: str  # path; also the entry's id once made absolute
    published: datetime
    updated: datetime


@dataclass
class FeedData:
    title: str
    subtitle: str
    page: str
    url: str  # absolute address of this feed, its id
    language: str
    entries: list[Entry]


def _chosen_script(request: HttpRequest) -> Script | None:
    chosen = request.GET.get("script")
    return chosen if chosen in SCRIPTS else None  # type: ignore[return-value]


def _in_script(data: FeedData, script: Script) -> None:
    """Every text a person reads converted to `script`, in one OpenCC call."""
    texts = [data.title, data.subtitle]
    for entry in data.entries:
        texts += [entry.title, entry.content, entry.author, entry.category]
    converted = iter(convert_many(texts, SCRIPT_CONFIG[script]))
    data.title, data.subtitle = next(converted), next(converted)
    for entry in data.entries:
        entry.title, entry.content, entry.author, entry.category = (next(converted) for _ in range(4))


def _writable_as_xml(data: FeedData) -> None:
    """Every string the feed writes without the characters the text-field rule
    keeps out. Rows stored before that rule may still hold them, and one
    vertical tab in one title made XML 1.0, and so the whole feed, fail."""
    for item in (data, *data.entries):
        for field in fields(item):
            if isinstance(value := getattr(item, field.name), str):
                setattr(item, field.name, strip_unwanted(value))


class PostFeed(Feed):
    feed_type = AtomFeed

    def source(self, **url_kwargs) -> FeedSource:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, **url_kwargs) -> FeedData:
        source = self.source(**url_kwargs)
        posts = (
            source.posts.filter(status=Post.Status.PUBLIC, thread__status=Post.Status.PUBLIC)
            .select_related("author", "board")
            .only(*ENTRY_FIELDS)
            .order_by("-created", "-id")[:FEED_SIZE]
        )
        script = _chosen_script(request)
        data = FeedData(
            title=source.title,
            subtitle=source.subtitle,
            page=source.page,
            url=request.build_absolute_uri(request.path + (f"?script={script}" if script else "")),
            language=_LANGUAGE[script],
            entries=[
                Entry(
                    title=post.title,
                    content=post.body_html or NO_BODY,
                    author=post.author.username,
                    author_page=request.build_absolute_uri(post.author.get_absolute_url()),
                    category=post.board.name,
                    page=post.get_absolute_url(),
                    published=post.created,
                    updated=post.edited or post.created,
                )
                for post in posts
            ],
        )
        if script:
            _in_script(data, script)
        _writable_as_xml(data)
        return data

    def get_feed(self, obj: FeedData, request: HttpRequest):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.language  # Feed only knows a fixed language
        return feed

    # The feed.
    def title(self, obj: FeedData) -> str:
        return obj.title

    def subtitle(self, obj: FeedData) -> str | None:
        return obj.subtitle or None

    def link(self, obj: FeedData) -> str:
        return obj.page

    def feed_url(self, obj: FeedData) -> str:
        return obj.url

    def feed_guid(self, obj: FeedData) -> str:
        return obj.url

    def items(self, obj: FeedData) -> list[Entry]:
        return obj.entries

    # Its entries. Titles are Atom text: the XML writer escapes them, nothing else may.
    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_description(self, entry: Entry) -> None:
        return None  # the body goes in <content>, not a second time in <summary>

    def item_extra_kwargs(self, entry: Entry) -> dict:
        return {"content": entry.content}

    def item_link(self, entry: Entry) -> str:
        return entry.page

    def item_author_name(self, entry: Entry) -> str:
        return entry.author

    def item_author_link(self, entry: Entry) -> str:
        return entry.author_page

    def item_categories(self, entry: Entry) -> list[str]:
        return [entry.category]

    def item_pubdate(self, entry: Entry) -> datetime:
        return entry.published

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.updated


class SiteFeed(PostFeed):
    """New threads on every board."""

    def source(self) -> FeedSource:
        site_name = settings.LUNTAN["SITE_NAME"]
        return FeedSource(
            title=site_name,
            subtitle=f"{site_name} 最新主题",
            page=reverse("home"),
            posts=Post.objects.filter(parent__isnull=True),
        )


class BoardFeed(PostFeed):
    """New threads on one board."""

    def source(self, slug: str) -> FeedSource:
        board = get_object_or_404(Board.objects.only("id", "slug", "name", "description", "kind"), slug=slug)
        return FeedSource(
            title=f"{board.name} - {settings.LUNTAN['SITE_NAME']}",
            subtitle=board.description,
            page=board.get_absolute_url(),
            posts=Post.objects.filter(board=board, parent__isnull=True),
        )


class ThreadFeed(PostFeed):
    """A post and every reply under it: for a thread's root, the whole thread."""

    def source(self, post_id: int) -> FeedSource:
        post = get_object_or_404(
            Post.objects.select_related("board", "thread").only(
                "id", "thread_id", "parent_id", "path", "title", "status", "board__name", "thread__status"
            ),
            pk=post_id,
        )
        if post.status != Post.Status.PUBLIC or post.thread.status != Post.Status.PUBLIC:
            raise Http404("帖子不存在或已被删除。")
        return FeedSource(
            title=f"{post.title} - {post.board.name}",
            subtitle="本帖及跟帖" if post.parent_id else "主题帖及全部跟帖",
            page=post.get_absolute_url(),
            posts=Post.objects.filter(thread_id=post.thread_id, path__startswith=post.path),
        )


class AuthorFeed(PostFeed):
    """Everything one member posted: threads and replies."""

    def source(self, username: str) -> FeedSource:
        member = get_object_or_404(User.objects.only("id", "username"), username=username, is_active=True)
        return FeedSource(
            title=f"{member.username} 的帖子 - {settings.LUNTAN['SITE_NAME']}",
            subtitle=f"{member.username} 发表的主题和回复",
            page=member.get_absolute_url(),
            posts=Post.objects.filter(author=member),
        )


class ColumnFeed(PostFeed):
    """A column's published articles."""

    def source(self, slug: str) -> FeedSource:
        column = get_object_or_404(
            Board.objects.select_related("owner").only("id", "slug", "name", "description", "kind", "owner__username"),
            slug=slug, kind=Board.Kind.COLUMN,
        )
        return FeedSource(
            title=f"{column.name} - {column.owner.username}的专栏",
            subtitle=column.description,
            page=column.get_absolute_url(),
            posts=Post.objects.filter(board=column, parent__isnull=True),
        )
