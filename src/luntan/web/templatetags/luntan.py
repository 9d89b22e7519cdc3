from django import template

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
