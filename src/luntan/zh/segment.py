"""Word segmentation (jieba-rs through rjieba) and the search tokens built on it.

Search indexes a text twice: as words (jieba's cut, for relevance) and as
characters (every CJK character a token of its own, letter and digit runs
whole). A phrase of character tokens matches exactly where the query's
characters stand together, whatever jieba made of the context, so a query word
is found as a word first and as characters scattered apart after that.
"""

import re

import rjieba

from .normalize import CJK, fold_chars

_RUN = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text` as jieba cuts them, separators left out."""
    return [w for w in rjieba.cut(text) if _RUN.fullmatch(w)]


def word_tokens(text: str) -> list[str]:
    """Folded (script, width, case) and segmented: 阿爾特曼說ＡＩ → 阿尔特 曼 说 ai."""
    return [w for w in rjieba.cut(fold_chars(text)) if _RUN.fullmatch(w)]


_CHAR_TOKEN = re.compile(rf"[{CJK}]|(?:(?![{CJK}])[^\W_])+")


def char_tokens(text: str) -> list[str]:
    """Folded, CJK characters one by one, letter/digit runs whole: 阿爾特曼 AI → 阿 尔 特 曼 ai."""
    return _CHAR_TOKEN.findall(fold_chars(text))
