"""Simplified/Traditional conversion at phrase level with OpenCC.

OpenCC segments the text into the longest phrases its dictionaries know before
it maps characters, so one-to-many characters come out right: 头发 → 頭髮 but
发展 → 發展, 干燥 → 乾燥 but 干部 → 幹部, 以后 → 以後 but 皇后 stays. ASCII, and
so HTML markup, passes through untouched.

Configs used (all shipped with the `opencc` package):

- s2t: Simplified → Traditional, OpenCC standard forms (what pages use);
- s2tw / s2hk: Simplified → Traditional with Taiwan / Hong Kong glyphs
  (裡 / 裏, 著 / 着, 臺灣 / 台灣);
- s2twp: as s2tw plus Taiwan vocabulary (软件 → 軟體, 鼠标 → 滑鼠);
- t2s: Traditional (any variant) → Simplified;
- jp2t: Japanese shinjitai → Traditional (for look-alike names, `skeleton.py`).
"""

from collections.abc import Sequence
from functools import cache
from typing import Literal

import opencc

Config = Literal["s2t", "s2tw", "s2twp", "s2hk", "t2s", "jp2t"]
Script = Literal["hans", "hant"]

SCRIPTS: tuple[Script, ...] = ("hans", "hant")
# The config that brings any Chinese text into a reader's script.
SCRIPT_CONFIG: dict[Script, Config] = {"hans": "t2s", "hant": "s2t"}

# Joins many texts for one OpenCC call. NUL never occurs in real text (HTML
# parsers drop it) and OpenCC leaves it alone, so it also stops a phrase from
# being matched across two texts.
_SEPARATOR = "\x00"


@cache
def _converter(config: Config) -> opencc.OpenCC:
    # Loading a config reads its dictionaries (tens of ms); one per process.
    return opencc.OpenCC(config)


def convert(text: str, config: Config) -> str:
    return _converter(config).convert(text)


def convert_many(texts: Sequence[str], config: Config) -> list[str]:
    """Each text converted, in one call to OpenCC (one call costs far more than a short text)."""
    if len(texts) < 2:
        return [convert(text, config) for text in texts]
    parts = convert(_SEPARATOR.join(texts), config).split(_SEPARATOR)
    if len(parts) != len(texts):  # a text held the separator itself
        return [convert(text, config) for text in texts]
    return parts


def s2t(text: str) -> str:
    return convert(text, "s2t")


def s2tw(text: str) -> str:
    return convert(text, "s2tw")


def s2twp(text: str) -> str:
    return convert(text, "s2twp")


def s2hk(text: str) -> str:
    return convert(text, "s2hk")


def t2s(text: str) -> str:
    return convert(text, "t2s")


# The names the rest of the code base has used since the start.
to_simplified = t2s
to_traditional = s2t


def for_script(text: str, script: Script) -> str:
    """`text`, whatever script it was written in, in `script` ("hans" or "hant")."""
    try:
        config = SCRIPT_CONFIG[script]
    except KeyError:
        raise ValueError(f"script must be 'hans' or 'hant', not {script!r}") from None
    return convert(text, config)
