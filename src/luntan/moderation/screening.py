"""The keyword filter as the posting services see it. (Placeholder: filled in
by the keyword-filter work; the signatures are the contract.)"""

from dataclasses import dataclass, field


@dataclass
class Screened:
    title: str
    body: str
    # Categories of the review rules that fired: non-empty means "hold for review".
    held_for: list[str] = field(default_factory=list)


def screen_post(*, title: str, body: str) -> Screened:
    """Apply the keyword rules to a post's title and body.

    Raises luntan.errors.Invalid (422) naming the rule's category when a block
    rule fires; returns the texts with replace rules applied and the review
    categories that fired."""
    return Screened(title, body)
