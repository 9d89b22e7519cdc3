"""Characters that do not belong in what members write: control codes, lone
surrogates, text-direction overrides and, in names, invisible fillers.

They break things a reader never sees coming: a vertical tab makes an XML
feed invalid, a lone surrogate cannot be stored, U+202E turns the rest of a
line around, and a Hangul filler lets 站务老王\u3164 pass for 站务老王.
"""

import re
import unicodedata

# C0 and C1 control codes but tab and line feed (a carriage return is folded
# to a line feed first: browsers send CRLF in text areas), DEL, lone surrogates.
_CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
# Marks that change the direction text is laid out in (embeddings,
# overrides, isolates and the marks of the Unicode bidirectional algorithm).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Letters and spaces that show as nothing, beyond the format characters (Cf):
# the Hangul fillers, the Braille blank, Khmer inherent vowels, and the like.
_BLANK_LETTERS = "\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"

_IN_TEXT = re.compile(f"[{_CONTROL}{_BIDI}]")


def unwanted_in_text(text: str) -> list[str]:
    """The distinct control, surrogate and direction characters in `text`, in
    order of first appearance; tab, line feed and carriage return are allowed."""
    found = dict.fromkeys(m.group() for m in _IN_TEXT.finditer(text.replace("\r", "\n")))
    return list(found)


def strip_unwanted(text: str) -> str:
    """`text` with line ends made \\n and every character `unwanted_in_text`
    finds removed: what a body keeps when its author pasted something odd."""
    return _IN_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def unwanted_in_name(name: str) -> list[str]:
    """What a name must not contain, beyond `unwanted_in_text`: anything that
    shows as nothing (format characters such as zero-width spaces and joiners,
    blank letters), and line breaks or tabs."""
    found = dict.fromkeys(
        char
        for char in name
        if _IN_TEXT.match(char)
        or char in _BLANK_LETTERS
        or char in "\t\n\r"
        or unicodedata.category(char) in ("Cf", "Cc", "Cs", "Co", "Cn")
    )
    return list(found)


def describe(chars: list[str]) -> str:
    """How a message names characters nobody can see: U+202E, U+3164 …"""
    return "、".join(f"U+{ord(char):04X}" for char in chars[:5]) + ("等" if len(chars) > 5 else "")
