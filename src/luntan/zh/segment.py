"""Word segmentation (jieba-rs through rjieba) and the search tokens built on it.

Search indexes a text twice: as words (jieba's cut, for relevance) and as
characters (every CJK character a token of its own, letter and digit runs
whole). A phrase of character tokens matches exactly where the query's
characters stand together, whatever jieba made of the context, so a query word
is found as a word first and as characters scattered apart after that.
"""

import re

import rjieba

from .normalize import fold_chars, is_cjk

_RUN = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text` as jieba cuts them, separators left out."""
    return [w for w in rjieba.cut(text) if _RUN.fullmatch(w)]


def _runs(text: str) -> list[tuple[str, bool]]:
    return [(run, any(is_cjk(ch) for ch in run)) for run in _RUN.findall(fold_chars(text))]


def word_tokens(text: str) -> list[str]:
    """Folded (script, width, case) and segmented: 阿爾特曼說ＡＩ → 阿尔特 曼 说 ai."""
    tokens: list[str] = []
    for run, has_cjk in _runs(text):
        tokens.extend(w for w in rjieba.cut(run) if w) if has_cjk else tokens.append(run)
    return tokens


def char_tokens(text: str) -> list[str]:
    """Folded, CJK characters one by one, letter/digit runs whole: 阿爾特曼 AI → 阿 尔 特 曼 ai."""
    tokens: list[str] = []
    for run, has_cjk in _runs(text):
        if not has_cjk:
            tokens.append(run)
            continue
        latin = ""
        for ch in run:
            if is_cjk(ch):
                if latin:
                    tokens.append(latin)
                    latin = ""
                tokens.append(ch)
            else:
                latin += ch
        if latin:
            tokens.append(latin)
    return tokens
