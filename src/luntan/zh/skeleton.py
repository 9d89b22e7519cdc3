"""Look-alike detection for names: two names that read the same to a person
get the same skeleton.

The letters that pass for one another come from Unicode's confusables data
(UTS #39, as shipped by `confusable-homoglyphs`), not from a table of our own:
Cyrillic ѕ for s, Greek Ι and the digit 1 for l, 値 for 值. Around it sit the
steps that Chinese names need and UTS #39 leaves out: width and case, Japanese
shinjitai (価, 広) and Traditional characters brought to Simplified, and the
characters that show as nothing dropped.
"""

import json
import unicodedata
from functools import cache
from importlib.resources import files

from .controls import unwanted_in_name
from .script import convert, to_simplified

# Separators people add or leave out without changing what a name says:
# 站务_老王 and 站务老王 are the same name to a reader.
_SEPARATORS = str.maketrans(dict.fromkeys("_-.·・", None))
# Direction marks that the data wraps around right-to-left letters.
_MARKS = str.maketrans(dict.fromkeys("\u200e\u200f", None))
# The CJK Unified Ideographs and Extension A: where Japanese forms live.
_CJK = [range(0x3400, 0x4DC0), range(0x4E00, 0xA000)]


def skeleton(name: str) -> str:
    """Fold width, case, script, confusable letters and separators away."""
    folded = unicodedata.normalize("NFKC", name)
    for char in unwanted_in_name(folded):
        folded = folded.replace(char, "")
    folded = "".join(ch for ch in folded if unicodedata.category(ch) not in {"Mn", "Me", "Zs"})
    folded = to_simplified(folded.translate(_japanese_forms()))
    # UTS #39 tells capitals apart (I passes for l, i does not), so its map is
    # applied before case is folded and again after, for the small letters
    # that folding makes. Folding I to i would otherwise part ADMIN from ADMlN:
    # i goes with l.
    prototypes = _prototypes()
    folded = folded.translate(prototypes).casefold().replace("i", "l").translate(prototypes)
    return folded.translate(_SEPARATORS)


@cache
def _prototypes() -> dict[int, str]:
    """Each confusable character → the prototype it passes for (UTS #39).

    The shipped data lists, for every character, the characters it is
    confusable with, in both directions; the direction is recovered from the
    shape: a prototype is listed with all of its look-alikes, a look-alike
    with its one prototype. Where two characters only have each other
    (値 and 值, 广 and the radical ⼴), one stands for both: the one that
    width folding keeps (the radical folds to 广), else the lower code point."""
    data = json.loads((files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    neighbours: dict[str, set[str]] = {}
    for char, entries in data.items():
        neighbours.setdefault(char.translate(_MARKS), set()).update(e["c"].translate(_MARKS) for e in entries)
    table = {}
    for char, near in neighbours.items():
        if len(char) != 1 or len(near) != 1:
            continue
        (target,) = near
        if len(target) > 1 or len(neighbours.get(target, ())) > 1:
            table[ord(char)] = target
        elif _stands_before(target, char):
            table[ord(char)] = target
    return table


def _stands_before(one: str, other: str) -> bool:
    return (unicodedata.normalize("NFKC", one) == one, other < one) > (
        unicodedata.normalize("NFKC", other) == other, one < other
    )


@cache
def _japanese_forms() -> dict[int, str]:
    """Japanese shinjitai → their Traditional forms (価 → 價, 広 → 廣), which
    Traditional → Simplified then finishes (价, 广). Only for characters that
    are neither Simplified nor Traditional Chinese forms themselves, so that
    並 still goes to 并 and 沪 stays 沪."""
    chars = [chr(code) for block in _CJK for code in block]
    # One character a line: OpenCC would otherwise read neighbours as phrases.
    as_japanese = convert("\n".join(chars), "jp2t").split("\n")
    as_traditional = convert("\n".join(chars), "s2t").split("\n")
    as_simplified = convert("\n".join(chars), "t2s").split("\n")
    return {
        ord(char): japanese
        for char, japanese, traditional, simplified in zip(chars, as_japanese, as_traditional, as_simplified)
        if japanese != char and traditional == char and simplified == char
    }
