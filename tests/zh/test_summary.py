from hypothesis import given
from hypothesis import strategies as st

from luntan.markup import render
from luntan.zh.summary import SENTENCE_END, summarize


def lead(markdown: str) -> str:
    """What a summary is drawn from: the text a reader sees, headings left out."""
    return render(markdown, limit=len(markdown)).lead

BODY = (
    "## 背景\n\n国足踢出了一场比0-7更令人窝心的失利，在早早进球并且多打一人的情况下，被对手连进2球逆转。"
    "**尽管**球员们拼尽了全力，但教练席似乎躺平了。18强赛两连败之后，球迷的耐心到了极限！还能怎么办？"
)


def test_summary_keeps_punctuation_and_digits_and_ends_a_sentence():
    summary = summarize(lead(BODY), limit=60)
    assert "0-7" in summary and "，" in summary and "2球" in summary
    assert summary.endswith("。")
    assert len(summary) <= 60


def test_plain_text_drops_markdown_marks():
    rendered = render("## 标题\n\n**粗体**和[链接](https://x.cn)。![图](https://x.cn/a.png)\n\n- 列表项", limit=200)
    assert rendered.text == "标题 粗体和链接。图 列表项"
    assert rendered.lead == "粗体和链接。图 列表项"


def test_summary_leaves_out_section_headings():
    assert summarize(lead("## 背景\n\n利率下调了。\n\n### 先算账\n\n少了 1,500 元。")) == "利率下调了。 少了 1,500 元。"
    assert not summarize(lead(BODY), limit=60).startswith("背景")


def test_short_body_is_its_own_summary():
    assert summarize("只有一句话。") == "只有一句话。"


def test_first_sentence_longer_than_the_limit_is_cut_and_marked():
    summary = summarize("这是一个没有句号而且特别特别长的句子" * 10, limit=30)
    assert summary.endswith("……") and len(summary) == 32


_sentences = st.lists(
    st.text(alphabet=st.sampled_from("我们今天讨论经济发展和0123456789，、abc "), min_size=1, max_size=40).map(
        lambda s: s.strip() or "空"
    )
    .flatmap(lambda s: st.sampled_from("。！？").map(lambda end: s + end)),
    min_size=1,
    max_size=12,
)


@given(_sentences, st.integers(min_value=20, max_value=200))
def test_summary_is_a_sentence_ended_prefix(sentences, limit):
    text = "".join(sentences)
    text = lead(text)  # the summary is drawn from what a reader sees: spaces collapsed
    summary = summarize(text, limit)
    if summary.endswith("……"):
        assert text.startswith(summary[:-2]) and len(summary) == limit + 2
    else:
        assert text.startswith(summary)
        assert summary[-1] in SENTENCE_END
        assert len(summary) <= max(limit, len(text))
