from hypothesis import given, settings
from hypothesis import strategies as st

from luntan.zh.normalize import fold, fold_chars, fold_with_offsets, squash, squash_with_offsets
from luntan.zh.script import to_traditional

COMMON_HANS = "阿尔特曼发展头发干部后来说这个问题国家经济会议开除董事会微软网络软件电脑时间学习简体中文繁体汉字"


def test_width_case_and_script_fold_together():
    assert fold("ＡＩ") == fold("ai") == "ai"
    assert fold("阿爾特曼") == fold("阿尔特曼") == "阿尔特曼"
    assert fold("①②③") == "123"
    assert fold("Straße") == fold("STRASSE")
    assert fold("𝐟𝐮𝐜𝐤") == "fuck"


def test_separators_between_cjk_or_lone_letters_are_dropped():
    assert fold("法 轮.功") == "法轮功"
    assert fold("口\u200b交") == "口交"  # zero-width space
    assert fold("口\u200d交") == "口交"  # zero-width joiner
    assert fold("f u c k") == "fuck"
    assert fold("f.u.c.k") == "fuck"


def test_spaces_between_words_are_kept():
    assert fold("as such") == "as such"
    assert fold("OpenAI 董事会") == "openai 董事会"


def test_offsets_point_back_at_the_original_characters():
    text = "他說：法 輪\u200b功！"
    folded = fold_with_offsets(text)
    start = folded.text.index("法轮功")
    a, b = folded.original_span(start, start + 3)
    assert text[a:b] == "法 輪\u200b功"


_mixed_text = st.text(
    alphabet=st.sampled_from(list(COMMON_HANS) + list("ａＡb１2 ，。！?\u200b_-①")), max_size=60
) | st.text(max_size=40)


@given(_mixed_text)
def test_offsets_always_map_back_inside_the_original(text):
    for located, fast in ((fold_with_offsets(text), fold(text)), (squash_with_offsets(text), squash(text))):
        assert located.text == fast
        assert len(located.offsets) == len(located.text)
        assert all(0 <= o < len(text) for o in located.offsets)
        assert located.offsets == sorted(located.offsets)


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list(COMMON_HANS) + list("，。 ab12")), max_size=50))
def test_folding_the_traditional_form_gives_the_same_text(text):
    assert fold(to_traditional(text)) == fold(text)


@given(st.text(max_size=80))
def test_folding_is_idempotent(text):
    assert fold_chars(fold_chars(text)) == fold_chars(text)
    assert squash(squash(text)) == squash(text)
