"""Keeping the search index current. (Placeholder: filled in by the search
work; the signatures are the contract.) Called by the posting services inside
their transaction."""

from luntan.forum.models import Post


def index_post(post: Post) -> None:
    """(Re)index a post: called after create, edit, move, hide and restore."""


def unindex_post(post_id: int) -> None:
    """Drop a post from the index (deleted)."""
