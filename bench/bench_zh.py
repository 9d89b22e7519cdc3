"""Speed of the Chinese-text library on one core: conversion, segmentation,
keyword filtering with 10,000 rules.

    .venv/bin/python bench/bench_zh.py            # prints a markdown table

Each figure is the best of several runs, with a baseline measured in the same
run (a plain `str.lower()` over the same text) so results from different
machines compare as ratios.
"""

import platform
import random
import time
from datetime import date

from luntan.zh.keywords import Action, KeywordMatcher, Rule
from luntan.zh.normalize import fold, squash
from luntan.zh.script import to_simplified, to_traditional
from luntan.zh.segment import char_tokens, word_tokens

# Common characters for made-up rules; the text is our own demo-style prose.
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
)
PARAGRAPH = (
    "周末和朋友去城郊的湿地公园散步，湖边的柳树刚刚发芽，水面上有几只白鹭。"
    "回来的路上聊到最近的股市，他说新能源板块连涨了7天，问我要不要追。"
    "我说炒股12年，最大的教训是别追高：涨得快的时候，跌起来也快！"
    "OpenAI 发布了新模型，ChatGPT 的用户又多了，科技版的讨论热度很高。\n"
)


def best_rate(func, text: str, runs: int = 5) -> float:
    """MB/s of UTF-8 text, best of `runs`."""
    size = len(text.encode()) / 1e6
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - start)
    return size / best


def make_rules(count: int, text: str, seed: int = 2026) -> list[Rule]:
    """Rules of 2–4 common characters that do not occur in `text` (a clean text
    is the usual case: most posts break no rule)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    rules = []
    actions = [Action.BLOCK, Action.REVIEW, Action.REPLACE]
    while len(rules) < count:
        word = "".join(rng.choice(CHARS) for _ in range(rng.randint(2, 4)))
        if word not in seen and word not in text:
            seen.add(word)
            rules.append(Rule(word, rng.choice(actions), "测试"))
    return rules


def with_hits(text: str, rules: list[Rule], every: int = 2000) -> str:
    """`text` with a rule word, split by a space, every `every` characters."""
    pieces = []
    for n, start in enumerate(range(0, len(text), every)):
        word = rules[n % len(rules)].pattern
        pieces.append(text[start : start + every] + word[0] + " " + word[1:])
    return "".join(pieces)


def main() -> None:
    text = PARAGRAPH * 4000  # ~1.4 MB
    page = PARAGRAPH * 85  # ~30 KB, a long thread page's worth of text
    traditional = to_traditional(text)
    rules = make_rules(10_000, text)
    dirty = with_hits(text, rules)
    start = time.perf_counter()
    matcher = KeywordMatcher(rules)
    build = time.perf_counter() - start
    # Warm up the lazily built tables so they are not timed.
    fold("预热"), squash("预热"), matcher.check("预热"), word_tokens("预热")

    baseline = best_rate(str.lower, text)
    rows = [
        ("baseline: str.lower()", baseline),
        ("conversion s2t (OpenCC, phrase level)", best_rate(to_traditional, text)),
        ("conversion t2s (OpenCC, phrase level)", best_rate(to_simplified, traditional)),
        ("segmentation: jieba words (word_tokens)", best_rate(word_tokens, text, runs=3)),
        ("segmentation: character tokens (char_tokens)", best_rate(char_tokens, text, runs=3)),
        ("fold (NFKC, case, t2s, separators)", best_rate(fold, text)),
        ("squash (matcher's fast form)", best_rate(squash, text)),
        ("keyword filter, 10,000 rules, clean text", best_rate(matcher.check, text)),
        ("keyword filter, 10,000 rules, Traditional text", best_rate(matcher.check, traditional)),
        ("keyword filter, 10,000 rules, a disguised hit every 2,000 chars", best_rate(matcher.check, dirty, runs=3)),
    ]
    per_page = min(
        (lambda: (time.perf_counter(), to_traditional(page), time.perf_counter()))() for _ in range(50)
    )
    page_ms = (per_page[2] - per_page[0]) * 1000

    print(f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}; {date.today()}")
    print(f"Text: {len(text.encode()) / 1e6:.1f} MB of mixed Chinese/Latin prose; matcher built in {build:.2f} s "
          f"({len(matcher)} rules, {len(matcher._owner)} script variants)\n")
    print("| what | MB/s | × baseline |")
    print("| --- | ---: | ---: |")
    for name, rate in rows:
        print(f"| {name} | {rate:.1f} | {rate / baseline:.3f} |")
    print(f"\nConverting a {len(page.encode()) // 1000} KB page to Traditional: {page_ms:.2f} ms (target: under 1 ms)")


if __name__ == "__main__":
    main()
