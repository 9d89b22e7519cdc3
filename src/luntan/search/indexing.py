"""Keeping the search index current. `index_post` and `unindex_post` are called
by the post's lifecycle inside the posting transaction, so the index commits
(or rolls back) with the post; `reindex` rebuilds the whole index in batches.

Tokenizing is the slow part (jieba over up to 100,000 characters): the
posting services do it with `tokenize` before their transaction opens and
hand the tokens in, so the write lock (on SQLite, the whole database) holds
only the writes."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from luntan.forum.models import Post
from luntan.zh.segment import char_tokens, word_tokens

from .backends import Document, backend

REINDEX_BATCH = 500

# What indexing reads of a post; reindex loads only these.
INDEXED_FIELDS = ("id", "board_id", "author_id", "created", "status", "title", "body_text")


@dataclass(frozen=True)
class Tokens:
    """A post's title and body as the index stores them: jieba words and characters."""

    title: str  # what was tokenized, so a title changed since is noticed
    body: str
    title_words: str
    body_words: str
    title_chars: str
    body_chars: str


def tokenize(title: str, body_text: str, *, limit: int | None = None) -> Tokens:
    """A title and a body's plain text (`Post.body_text`) as the index's tokens;
    of the body, the first `limit` characters (default: the longest body allowed)."""
    body = body_text[: limit or settings.LUNTAN["BODY_MAX"]]
    return Tokens(
        title=title,
        body=body_text,
        title_words=" ".join(word_tokens(title)),
        body_words=" ".join(word_tokens(body)),
        title_chars=" ".join(char_tokens(title)),
        body_chars=" ".join(char_tokens(body)),
    )


def document_for(post, tokens: Tokens | None = None) -> Document:
    """The index's form of a post, from `tokens` made beforehand when they are
    of its present title and body, else tokenized now."""
    if tokens is None or (tokens.title, tokens.body) != (post.title, post.body_text):
        tokens = tokenize(post.title, post.body_text)
    return Document(
        post_id=post.pk,
        board_id=post.board_id,
        author_id=post.author_id,
        created=post.created,
        title_words=tokens.title_words,
        body_words=tokens.body_words,
        title_chars=tokens.title_chars,
        body_chars=tokens.body_chars,
    )


def index_post(post: Post, tokens: Tokens | None = None) -> None:
    """(Re)index a post: called after create, edit, move, hide and restore.

    Only public posts of public threads are findable: a post that is held,
    hidden or deleted, or a reply in a thread whose first post is, leaves the
    index."""
    findable = post.status == Post.Status.PUBLIC and (
        post.is_root or Post.objects.filter(pk=post.thread_id, status=Post.Status.PUBLIC).exists()
    )
    if not findable:
        unindex_post(post.pk)
        return
    backend().write([document_for(post, tokens)])


def unindex_post(post_id: int) -> None:
    """Drop a post from the index (deleted)."""
    unindex_posts([post_id])


def unindex_posts(post_ids: list[int]) -> None:
    """Drop posts from the index (a thread hidden with all its replies)."""
    if post_ids:
        backend().delete(post_ids)


def _fingerprint(post) -> tuple:
    return tuple(getattr(post, field) for field in INDEXED_FIELDS)


def reindex(
    *, posts=None, batch_size: int = REINDEX_BATCH, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild the whole index from the posts; returns how many are indexed.

    The site stays searchable meanwhile: documents are replaced batch by batch
    (each batch its own transaction), then the documents of posts that are no
    longer public are dropped. A post edited while its batch was being
    tokenized is skipped: its own `index_post` has the newer text.
    `posts` is the Post manager to read (a migration passes its historical one).
    """
    posts = posts if posts is not None else Post.objects
    public = posts.filter(status=Post.Status.PUBLIC, thread__status=Post.Status.PUBLIC)
    total = public.count()
    done, last_id = 0, 0
    while True:
        batch = list(public.filter(pk__gt=last_id).order_by("pk").only(*INDEXED_FIELDS)[:batch_size])
        if not batch:
            break
        last_id = batch[-1].pk
        documents = {post.pk: (document_for(post), _fingerprint(post)) for post in batch}
        with transaction.atomic():
            # Locked, the rows cannot change until the batch is written.
            current = posts.filter(pk__in=list(documents)).select_for_update().only(*INDEXED_FIELDS)
            unchanged = [documents[post.pk][0] for post in current if _fingerprint(post) == documents[post.pk][1]]
            backend().write(unchanged)
        done += len(batch)
        if progress:
            progress(done, total)
    with transaction.atomic():
        backend().prune()
    backend().tidy()
    return done
