"""Which characters members may not write, and what a body keeps."""

import pytest

from luntan.zh.controls import describe, strip_unwanted, unwanted_in_name, unwanted_in_text


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\u202e", "\u2066", "\u200f"])
def test_controls_surrogates_and_direction_marks_are_unwanted_in_text(char):
    assert unwanted_in_text(f"前{char}后") == [char]
    assert strip_unwanted(f"前{char}后") == "前后"


def test_tab_and_line_ends_are_kept_and_crlf_becomes_lf():
    assert unwanted_in_text("第一行\r\n\t第二行\r第三行") == []
    assert strip_unwanted("第一行\r\n\t第二行\r第三行") == "第一行\n\t第二行\n第三行"


@pytest.mark.parametrize("char", ["\u3164", "\u200b", "\u200d", "\ufeff", "\u2800", "\u115f", "\n", "\t", "\u202e"])
def test_names_refuse_what_shows_as_nothing(char):
    assert unwanted_in_name(f"站务老王{char}") == [char]


def test_ordinary_names_pass_and_characters_are_named_by_code_point():
    assert unwanted_in_name("张三_Zhang3") == []
    assert describe(["\u3164", "\u202e"]) == "U+3164、U+202E"
