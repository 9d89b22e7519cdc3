"""The keyword filter's matcher: every rule in one Aho-Corasick automaton over
folded text (see `normalize`), so thousands of rules cost one pass.

Actions, strongest first: block (refuse), review (hold for a moderator),
replace (mask the word with ＊). An allow rule names an innocent longer word
(路口交通 beside 口交): any match lying inside an allow match is ignored.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import ahocorasick_rs

from .normalize import fold, squash, squash_with_offsets
from .script import to_simplified
from .variants import script_variants

MASK = "＊"


class Action(StrEnum):
    BLOCK = "block"
    REVIEW = "review"
    REPLACE = "replace"
    ALLOW = "allow"


@dataclass(frozen=True)
class Rule:
    pattern: str
    action: Action
    category: str = ""
    replacement: str = ""  # empty: the word becomes ＊ of the same length
    id: int | None = None


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int  # span in the original text
    end: int

    def text(self, original: str) -> str:
        return original[self.start : self.end]


@dataclass
class Verdict:
    text: str  # the text with replace rules applied
    hits: list[Hit] = field(default_factory=list)

    def _with(self, action: Action) -> list[Hit]:
        return [hit for hit in self.hits if hit.rule.action == action]

    @property
    def blocked(self) -> list[Hit]:
        return self._with(Action.BLOCK)

    @property
    def held(self) -> list[Hit]:
        return self._with(Action.REVIEW)

    @property
    def replaced(self) -> list[Hit]:
        return self._with(Action.REPLACE)


class KeywordMatcher:
    """All rules in one automaton over `squash`ed text.

    Each rule enters the automaton in every script variant, so the text needs
    no script conversion. Separators are all dropped before the scan; a match
    then counts only if the separators it spans were ones a filter-dodger
    inserts (between CJK characters or lone letters: see `normalize`), so
    "as such" never fires a rule "ass".
    """

    def __init__(self, rules: Iterable[Rule]):
        self.rules: list[Rule] = []
        patterns: list[str] = []
        self._owner: list[int] = []  # pattern index → rule index
        for rule in rules:
            base = squash(to_simplified(rule.pattern))
            if not base:
                continue
            self.rules.append(rule)
            for variant in sorted(script_variants(base)):
                patterns.append(variant)
                self._owner.append(len(self.rules) - 1)
        self._automaton = ahocorasick_rs.AhoCorasick(patterns) if patterns else None

    def __len__(self) -> int:
        return len(self.rules)

    def check(self, text: str) -> Verdict:
        """Every rule that fires in `text`, located in the original, and the text
        with replace rules applied."""
        if self._automaton is None or not text:
            return Verdict(text)
        found = self._automaton.find_matches_as_indexes(squash(text), overlapping=True)
        if not found:
            return Verdict(text)
        located = squash_with_offsets(text)
        matches = []
        for pattern, start, end in found:
            span = located.original_span(start, end)
            rule = self.rules[self._owner[pattern]]
            if fold(text[span[0] : span[1]]) == fold(located.text[start:end]) and _stands_alone(rule, text, span):
                matches.append((rule, span))
        allowed = [span for rule, span in matches if rule.action == Action.ALLOW]
        hits = sorted(
            {
                Hit(rule, *span)
                for rule, span in matches
                if rule.action != Action.ALLOW and not any(a <= span[0] and span[1] <= b for a, b in allowed)
            },
            key=lambda hit: (hit.start, hit.end),
        )
        return Verdict(_apply_replacements(text, hits), hits)


def _stands_alone(rule: Rule, text: str, span: tuple[int, int]) -> bool:
    """A rule in Latin letters matches whole words only ("ass" not in "class");
    Chinese has no spaces between words, so CJK rules match anywhere."""
    if not rule.pattern.isascii():
        return True
    before = text[span[0] - 1] if span[0] > 0 else " "
    after = text[span[1]] if span[1] < len(text) else " "
    return not (_is_latin_word_char(before) or _is_latin_word_char(after))


def _is_latin_word_char(char: str) -> bool:
    return squash(char).isascii() and squash(char).isalnum()


def _apply_replacements(text: str, hits: list[Hit]) -> str:
    """Mask every replace hit; overlapping hits are masked as one span."""
    spans: list[list] = []  # [start, end, hits]
    for hit in sorted((h for h in hits if h.rule.action == Action.REPLACE), key=lambda h: (h.start, h.end)):
        if spans and hit.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hit.end)
            spans[-1][2].append(hit)
        else:
            spans.append([hit.start, hit.end, [hit]])
    pieces, position = [], 0
    for start, end, group in spans:
        custom = group[0].rule.replacement if len(group) == 1 else ""
        pieces += [text[position:start], custom or MASK * (end - start)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
