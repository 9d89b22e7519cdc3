"""Simplified/Traditional conversion: phrase level, several regional standards,
markup untouched. Pure functions, no database."""

import pytest

from luntan.zh import script
from luntan.zh.script import convert_many, for_script, s2hk, s2t, s2tw, s2twp, t2s, to_simplified, to_traditional


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("阿尔特曼", "阿爾特曼"),
        ("发送悄悄话", "發送悄悄話"),
        ("一周回复热帖", "一週回覆熱帖"),
        ("历史上的今天", "歷史上的今天"),
    ],
)
def test_simplified_to_traditional(simplified, traditional):
    assert s2t(simplified) == traditional
    assert for_script(simplified, "hant") == traditional


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        # One Simplified character, several Traditional ones: only the phrase tells.
        ("头发", "頭髮"),
        ("发展", "發展"),
        ("皇后", "皇后"),
        ("以后", "以後"),
        ("干燥", "乾燥"),
        ("干部", "幹部"),
        ("面条", "麪條"),
        ("里面", "裏面"),
    ],
)
def test_conversion_is_by_phrase_not_by_character(simplified, traditional):
    assert s2t(simplified) == traditional


def test_one_phrase_per_context_in_running_text():
    assert s2t("他以后理了头发，去了皇后大道，干部们的工作有了发展。") == "他以後理了頭髮，去了皇后大道，幹部們的工作有了發展。"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("阿爾特曼", "阿尔特曼"),
        ("發送悄悄話", "发送悄悄话"),
        ("頭髮與發展", "头发与发展"),
        ("乾燥的幹部", "干燥的干部"),
        # Taiwan and Hong Kong forms come back too.
        ("裡面", "里面"),
        ("臺灣", "台湾"),
    ],
)
def test_traditional_to_simplified(traditional, simplified):
    assert t2s(traditional) == simplified
    assert for_script(traditional, "hans") == simplified


def test_round_trip_keeps_simplified_text():
    text = "读懂市场的七个要点：以后头发干燥，干部发展。"
    assert t2s(s2t(text)) == text


def test_converting_into_the_same_script_changes_nothing():
    assert for_script("读懂市场的七个要点", "hans") == "读懂市场的七个要点"
    assert for_script("讀懂市場的七個要點", "hant") == "讀懂市場的七個要點"


def test_taiwan_and_hong_kong_standards_differ():
    # Glyph standards: s2t (OpenCC), s2tw (Taiwan), s2hk (Hong Kong).
    assert (s2t("里面"), s2tw("里面"), s2hk("里面")) == ("裏面", "裡面", "裏面")
    assert (s2t("着"), s2tw("着"), s2hk("着")) == ("着", "著", "着")
    assert (s2tw("台湾"), s2hk("台湾")) == ("臺灣", "台灣")
    # Taiwan vocabulary (s2twp), beyond glyphs.
    assert s2tw("软件") == "軟件"
    assert s2twp("软件") == "軟體"
    assert s2twp("鼠标") == "滑鼠"


def test_the_old_names_still_work():
    assert to_traditional("发展") == "發展"
    assert to_simplified("發展") == "发展"


def test_markup_and_ascii_pass_through():
    html = '<p class="body" data-x="a&amp;b"><a href="/p/12/?view=flat&amp;script=hant">Hello, 发展 2024!</a></p>\n'
    assert s2t(html) == html.replace("发展", "發展")
    assert t2s(html.replace("发展", "發展")) == html
    ascii_text = "https://example.com/a_b-c?d=1#e <br/> ~!@#$%^&*()"
    assert s2t(ascii_text) == ascii_text == t2s(ascii_text)


def test_full_width_punctuation_and_digits_are_kept():
    assert s2t("１２３，“发展”！") == "１２３，“發展”！"


def test_unknown_script_is_an_error():
    with pytest.raises(ValueError):
        for_script("发展", "xx")


def test_convert_many_converts_each_text_in_one_call():
    texts = ["头", "发", "头发", "", "abc"]
    # The texts are not joined into phrases: 头 and 发 stay apart.
    assert convert_many(texts, "s2t") == ["頭", "發", "頭髮", "", "abc"]


def test_convert_many_survives_a_text_holding_the_separator():
    texts = ["头发\x00发展", "以后"]
    assert convert_many(texts, "s2t") == ["頭髮\x00發展", "以後"]


def test_converters_are_made_once():
    assert script._converter("s2t") is script._converter("s2t")
