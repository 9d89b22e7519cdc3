"""Writes for moderation. (Placeholder: the keyword-filter work fills in the
review queue's data; the moderation issue adds the acts.)"""

from luntan.forum.models import Post


def hold_for_review(*, post: Post, reasons: list[str]) -> None:
    """Put a held post in the review queue with why it was held."""
