"""The keyword filter as the services see it: posts, usernames, private messages.

The compiled matcher (every rule in one automaton) is kept per process with
the rule version it was built from. At most every CHECK_SECONDS a process
reads the version row (one single-row query); when the version moved it
rebuilds, so a rule change made anywhere reaches every process within that
interval, without a restart. The database row is the source of truth, so this
works with the per-process locmem cache as well as with Redis.
"""

import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from luntan.errors import Invalid
from luntan.zh.keywords import Hit, KeywordMatcher, Verdict

from . import selectors

CHECK_SECONDS = 2.0


class RuleCache:
    """The process's compiled matcher and the version it was built from."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock  # tests advance it instead of sleeping
        self._lock = threading.Lock()
        self._matcher: KeywordMatcher | None = None
        self._version: int | None = None
        self._checked_at = 0.0

    @property
    def version(self) -> int | None:
        return self._version

    def matcher(self) -> KeywordMatcher:
        if self._matcher is not None and self.clock() - self._checked_at < CHECK_SECONDS:
            return self._matcher
        with self._lock:  # one thread rebuilds; the others wait for its matcher
            if self._matcher is not None and self.clock() - self._checked_at < CHECK_SECONDS:
                return self._matcher
            # The version before the rules: a change landing in between leaves
            # an older number with newer rules, which only costs one more rebuild.
            version = selectors.rule_version()
            if self._matcher is None or version != self._version:
                self._matcher = KeywordMatcher(selectors.matcher_rules())
                self._version = version
            self._checked_at = self.clock()
            return self._matcher

    def recheck(self) -> None:
        """Compare the version again at the next use (rebuilding only if it moved)."""
        self._checked_at = float("-inf")

    def forget(self) -> None:
        """Drop the matcher: the next use rebuilds from the database."""
        with self._lock:
            self._matcher = self._version = None


rule_cache = RuleCache()


@dataclass
class Screened:
    title: str
    body: str
    # Categories of the review rules that fired: non-empty means "hold for review".
    held_for: list[str] = field(default_factory=list)


UNCATEGORISED = "未分类"


def _categories(hits: list[Hit]) -> list[str]:
    return list(dict.fromkeys(hit.rule.category or UNCATEGORISED for hit in hits))


def _kinds(hits: list[Hit]) -> str:
    """"（广告类）" for the message: the category, never the word list."""
    named = [category for category in _categories(hits) if category != UNCATEGORISED]
    return f"（{'、'.join(f'{c}类' for c in named)}）" if named else ""


_FIELD_NAMES = {
    "title": "标题", "body": "内容", "username": "用户名", "intro": "简介", "summary": "摘要", "references": "参考资料",
}


def screen_post(*, title: str, body: str) -> Screened:
    """Apply the keyword rules to a post's title and body.

    Raises luntan.errors.Invalid (422) naming the rule's category when a block
    rule fires; returns the texts with replace rules applied and the review
    categories that fired."""
    matcher = rule_cache.matcher()
    verdicts = {"title": matcher.check(title), "body": matcher.check(body)}
    for name, verdict in verdicts.items():
        if verdict.blocked:
            raise Invalid(
                f"{_FIELD_NAMES[name]}含有不允许发表的词语{_kinds(verdict.blocked)}，请修改后再发。", field=name
            )
    title, limit = verdicts["title"].text, settings.LUNTAN["TITLE_MAX"]
    if len(title) > limit:  # a rule's own replacement may be longer than the word
        raise Invalid(f"标题里的词语替换后超过 {limit} 个字，请缩短标题。", field="title")
    held = _categories(verdicts["title"].held + verdicts["body"].held)
    return Screened(title, verdicts["body"].text, held)


def screen_part(*, text: str, field: str) -> tuple[str, list[str]]:
    """Apply the rules to one more text that belongs to a post and shares its
    review (an article's summary, a reference). A block rule refuses it;
    returns the text with replace rules applied and the review categories
    that fired, for which the post is held."""
    verdict: Verdict = rule_cache.matcher().check(text)
    if verdict.blocked:
        raise Invalid(
            f"{_FIELD_NAMES.get(field, '内容')}含有不允许发表的词语{_kinds(verdict.blocked)}，请修改后再发。", field=field
        )
    return verdict.text, _categories(verdict.held)


def screen_text(*, text: str, field: str, mask: bool = True) -> str:
    """Apply the keyword rules to a text that has no review queue: a private
    message (mask=True) or a username (mask=False).

    A block rule refuses the text. So does a review rule: nobody reviews
    private messages or names, and delivering the text unreviewed would make
    review rules toothless there, so the writer is asked to rephrase. Replace
    rules mask the word and the masked text is returned; with mask=False (a
    name: a masked name makes no sense) any rule that fires refuses."""
    verdict: Verdict = rule_cache.matcher().check(text)
    what = _FIELD_NAMES.get(field, "内容")
    if not mask and verdict.hits:
        raise Invalid(f"{what}含有不允许使用的词语{_kinds(verdict.hits)}，请换一个。", field=field)
    if verdict.blocked:
        raise Invalid(f"{what}含有不允许发送的词语{_kinds(verdict.blocked)}，请修改后再发。", field=field)
    if verdict.held:
        raise Invalid(f"{what}含有需要审核的词语{_kinds(verdict.held)}，这里无人审核，请换个说法再发。", field=field)
    return verdict.text
