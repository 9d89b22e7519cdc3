"""Every way a word can be written across scripts, for matching without
converting the text being matched."""

from functools import cache
from itertools import product

import opencc

from .script import to_simplified

# Past this many character-level combinations only the whole-word forms are kept.
MAX_COMBINATIONS = 64
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))  # compatibility forms are folded by NFKC first
_PHRASE_CONFIGS = ("s2t", "s2tw", "s2hk", "s2twp")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _traditional_forms() -> dict[str, frozenset[str]]:
    """Simplified character → the Traditional characters that simplify to it."""
    forms: dict[str, set[str]] = {}
    for start, end in _CJK_RANGES:
        for code in range(start, end):
            char = chr(code)
            simple = to_simplified(char)
            if simple != char and len(simple) == 1:
                forms.setdefault(simple, set()).add(char)
    return {simple: frozenset(chars) for simple, chars in forms.items()}


def script_variants(word: str) -> set[str]:
    """`word` in Simplified, in Traditional (phrase-level, several regional
    standards), and, when there are few enough, every character-level mix of
    the two (an evader may write half a word in each script)."""
    simple = to_simplified(word)
    variants = {word, simple}
    variants.update(_converter(config).convert(simple) for config in _PHRASE_CONFIGS)
    forms = _traditional_forms()
    choices = [(ch, *sorted(forms.get(ch, ()))) for ch in simple]
    count = 1
    for options in choices:
        count *= len(options)
    if count <= MAX_COMBINATIONS:
        variants.update("".join(combo) for combo in product(*choices))
    return {v for v in variants if len(v) == len(simple)} | {simple}
