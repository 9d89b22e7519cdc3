import pytest

from luntan.zh.keywords import Action, KeywordMatcher, Rule

RULES = [
    Rule("口交", Action.BLOCK, "色情"),
    Rule("路口交通", Action.ALLOW),
    Rule("傻逼", Action.REPLACE, "辱骂"),
    Rule("法輪功", Action.REVIEW, "政治"),  # a Traditional rule
    Rule("发票代开", Action.BLOCK, "广告"),  # a Simplified rule
    Rule("fuck", Action.REPLACE, "辱骂"),
    Rule("64", Action.REVIEW, "敏感日期"),
]


@pytest.fixture(scope="module")
def matcher():
    return KeywordMatcher(RULES)


def fired(matcher, text):
    return [(hit.rule.pattern, hit.text(text)) for hit in matcher.check(text).hits]


@pytest.mark.parametrize(
    "text, pattern, found",
    [
        ("这是口交内容", "口交", "口交"),
        ("口 交", "口交", "口 交"),
        ("口，交", "口交", "口，交"),
        ("口\u200b交", "口交", "口\u200b交"),
        ("口-_-交", "口交", "口-_-交"),
        ("他说法轮功", "法輪功", "法轮功"),  # Simplified text, Traditional rule
        ("他說法輪功", "法輪功", "法輪功"),
        ("法輪 功", "法輪功", "法輪 功"),
        ("發票代開", "发票代开", "發票代開"),  # Traditional text, Simplified rule
        ("发票代開", "发票代开", "发票代開"),  # half in each script
        ("ＦＵＣＫ", "fuck", "ＦＵＣＫ"),
        ("F u C k", "fuck", "F u C k"),
        ("f.u.c.k!", "fuck", "f.u.c.k"),
        ("⑥④", "64", "⑥④"),
        ("６４", "64", "６４"),
    ],
)
def test_sees_through_evasion(matcher, text, pattern, found):
    assert (pattern, found) in fired(matcher, text)


@pytest.mark.parametrize("text", ["在路口交通灯下等人", "路口 交通很堵", "as such", "fucking" , "class 64bit", "今天天气不错"])
def test_innocent_text_passes(matcher, text):
    assert fired(matcher, text) == []


def test_allow_rule_only_silences_matches_inside_it(matcher):
    text = "路口交通，还有口交"
    assert fired(matcher, text) == [("口交", "口交")]


def test_replace_masks_the_word_with_as_many_stars_as_it_had_characters(matcher):
    verdict = matcher.check("你个傻 逼，fuck！")
    assert verdict.text == "你个＊＊＊，＊＊＊＊！"
    assert [hit.rule.category for hit in verdict.replaced] == ["辱骂", "辱骂"]


def test_custom_replacement():
    matcher = KeywordMatcher([Rule("坏蛋", Action.REPLACE, replacement="好人")])
    assert matcher.check("你这个坏蛋").text == "你这个好人"


def test_verdict_sorts_hits_by_action(matcher):
    verdict = matcher.check("口交 法轮功 傻逼")
    assert [h.rule.pattern for h in verdict.blocked] == ["口交"]
    assert [h.rule.pattern for h in verdict.held] == ["法輪功"]
    assert [h.rule.pattern for h in verdict.replaced] == ["傻逼"]


def test_no_rules_and_empty_text():
    assert KeywordMatcher([]).check("口交").hits == []
    assert KeywordMatcher(RULES).check("").hits == []
    assert len(KeywordMatcher([Rule(" ，", Action.BLOCK)])) == 0  # a pattern of separators only
