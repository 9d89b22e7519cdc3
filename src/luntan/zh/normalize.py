"""Text folded for matching and searching.

`fold(text)`: case, width and compatibility forms folded (NFKC + case folding,
zero-width characters dropped), Traditional converted to Simplified (OpenCC,
phrase level), and separators dropped where a filter-dodger inserts them: when
both neighbours are CJK characters or lone letters/digits. 法 轮.功 → 法轮功 and
f u c k → fuck, while "as such" keeps its space, so Latin words do not run
together. `fold_chars` is the same without dropping separators (search).

`squash(text)`: the keyword matcher's fast form (see its docstring).

The `*_with_offsets` forms give the same text plus, for every character, the
index of the original character it came from. They are slower and only needed
where a match has to be located in the original (masking a word, a snippet).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

from .script import to_simplified

# Unicode ranges whose characters can differ under NFKC/casefold, besides the
# Basic Multilingual Plane: mathematical alphanumerics (𝐟𝐮𝐜𝐤), enclosed
# alphanumerics (🅰), CJK compatibility ideographs supplement.
_EXTRA_RANGES = ((0x1D400, 0x1D800), (0x1F100, 0x1F200), (0x2F800, 0x2FA20))

CJK = (  # the code points of CJK ideographs, as a regex class body
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003134f"
)
_SEPARATOR_RUN = re.compile(
    # After a CJK character or a lone letter/digit ...
    rf"(?<=[{CJK}]|(?<![^\W_])[^\W_])"
    # ... a run of non-word characters (and underscores) ...
    r"[\W_]+"
    # ... before a CJK character or a lone letter/digit.
    rf"(?=[{CJK}]|[^\W_](?![^\W_]))"
)


def _is_separator(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


@cache
def _fold_table() -> dict[str, str]:
    """Per (lower-cased) character: NFKC then case folding, format characters
    (zero-width) removed. Punctuation that stays punctuation is left out: it is
    a separator either way, and leaving it out keeps Chinese text off the slow path."""
    table: dict[str, str] = {}
    for start, end in ((0, 0x10000),) + _EXTRA_RANGES:
        for code in range(start, end):
            if 0xD800 <= code < 0xE000:
                continue  # surrogates
            char = chr(code)
            if unicodedata.category(char) == "Cf":
                table[char] = ""
                continue
            folded = "".join(c for c in unicodedata.normalize("NFKC", char).casefold() if unicodedata.category(c) != "Cf")
            if folded != char and not (_is_separator(char) and _is_separator(folded)):
                table[char] = folded
    return table


def _class_of(codes: list[int]) -> str:
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    ) + "]"


@cache
def _fold_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Character classes of the table's keys, as ranges: one for the Basic
    Multilingual Plane, one for the rest. `re` checks a class of BMP ranges
    through a bitmap; one astral range in it turns that into a linear scan."""
    codes = [ord(ch) for ch in _fold_table()]
    return (
        re.compile(_class_of([c for c in codes if c < 0x10000])),
        re.compile(_class_of([c for c in codes if c >= 0x10000])),
    )


@cache
def _length_changing_pattern() -> re.Pattern:
    """The BMP characters whose folded form is not exactly one character."""
    codes = [
        code
        for code in range(0x10000)
        if not 0xD800 <= code < 0xE000 and len(fold_case_and_width(chr(code))) != 1
    ]
    return re.compile(_class_of(codes))


def _fold_one(match: re.Match) -> str:
    return _fold_table()[match.group()]


def fold_case_and_width(text: str) -> str:
    """Case, width and compatibility forms folded, zero-width characters dropped."""
    # lower() runs at memory speed and does most of the case folding; the
    # patterns find the few characters left (full-width, circled, ß, ...).
    bmp, astral = _fold_patterns()
    text = bmp.sub(_fold_one, text.lower())
    return astral.sub(_fold_one, text) if _has_astral(text) else text


def _has_astral(text: str) -> bool:
    # Scanning for an astral class is slow in `re`; encoding is not: characters
    # beyond the BMP take two UTF-16 code units.
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


_ANY_SEPARATORS = re.compile(r"[\W_]+")


def fold_chars(text: str) -> str:
    """Width, case, script and zero-width characters folded; separators kept (search)."""
    return to_simplified(fold_case_and_width(text))


def fold(text: str) -> str:
    """The matching form of `text` (see the module docstring)."""
    return _SEPARATOR_RUN.sub("", fold_chars(text))


@cache
def _separator_table() -> np.ndarray:
    """For every code point: is it a separator (what `[\\W_]` matches)?"""
    return np.array([not chr(code).isalnum() for code in range(0x110000)], dtype=bool) | (
        np.arange(0x110000) == ord("_")
    )


def squash(text: str) -> str:
    """Case and width folded, every separator dropped, script left alone.

    The keyword matcher's fast form: it skips the script conversion (the
    matcher carries each rule in every script instead) and drops separators
    without looking at their neighbours (the matcher checks that for the few
    places that match). Dropping goes through numpy over the code points: a
    regex or `str.translate` does it at a tenth of the speed.
    """
    codes = np.frombuffer(fold_case_and_width(text).encode("utf-32-le"), dtype=np.uint32)
    return codes[~_separator_table()[codes]].tobytes().decode("utf-32-le")


@dataclass(frozen=True)
class Folded:
    text: str
    # offsets[i] is the index in the original text of folded character i.
    offsets: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded[start:end] came from."""
        return self.offsets[start], self.offsets[end - 1] + 1


# Joins characters so one call folds them all and a split gives each its own
# result (texts that hold NUL themselves are folded one character at a time).
_SENTINEL = "\x00"


def _with_offsets(text: str, *, simplify: bool, separators: re.Pattern | None) -> Folded:
    if _SENTINEL in text:
        pieces = [fold_case_and_width(char) for char in text]
    else:
        pieces = fold_case_and_width(_SENTINEL.join(text)).split(_SENTINEL)
    offsets = [index for index, piece in enumerate(pieces) for _ in piece]
    folded = "".join(pieces)
    if simplify:
        simplified = to_simplified(folded)
        if len(simplified) != len(folded):
            # A phrase conversion changed the length (rare): convert character
            # by character so every position keeps its origin.
            simplified = "".join(c if len(s := to_simplified(c)) != 1 else s for c in folded)
        folded = simplified
    if separators is None:
        return Folded(folded, offsets)
    kept_text: list[str] = []
    kept_offsets: list[int] = []
    position = 0
    for run in separators.finditer(folded):
        kept_text.append(folded[position : run.start()])
        kept_offsets.extend(offsets[position : run.start()])
        position = run.end()
    kept_text.append(folded[position:])
    kept_offsets.extend(offsets[position:])
    return Folded("".join(kept_text), kept_offsets)


def fold_chars_with_offsets(text: str) -> Folded:
    """`fold_chars(text)` with the origin of every character."""
    return _with_offsets(text, simplify=True, separators=None)


def fold_with_offsets(text: str) -> Folded:
    """`fold(text)` with the origin of every character."""
    return _with_offsets(text, simplify=True, separators=_SEPARATOR_RUN)


def squash_with_offsets(text: str) -> Folded:
    """`squash(text)` with the origin of every character."""
    if _length_changing_pattern().search(text) or _has_astral(text):
        # Some character expands or vanishes when folded: go one by one.
        return _with_offsets(text, simplify=False, separators=_ANY_SEPARATORS)
    folded = fold_case_and_width(text)
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    kept = ~_separator_table()[codes]
    return Folded(codes[kept].tobytes().decode("utf-32-le"), np.flatnonzero(kept).tolist())


_CJK_CHAR = re.compile(f"[{CJK}]")


def is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))
