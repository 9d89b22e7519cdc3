"""Look-alike names share a skeleton; names that merely differ do not."""

import pytest

from luntan.zh.skeleton import skeleton


@pytest.mark.parametrize(
    "names",
    [
        ("admin", "ADMIN", "ADMlN", "\u0430dmin", "\u0391D\u039c\u0399\u039d", "adm1n"),  # Cyrillic а, Greek capitals
        ("tester_a", "te\u0455ter_a", "testera", "ｔｅｓｔｅｒ＿ａ"),  # Cyrillic ѕ, full width
        ("站务老王", "站务老王\u3164", "站\u200b务老王", "站務老王"),
        ("价值投资者", "价値投资者", "價值投資者"),
        ("广泽", "広沢", "廣澤"),
        ("并且", "並且"),
    ],
)
def test_look_alikes_share_one_skeleton(names):
    assert len({skeleton(name) for name in names}) == 1, [skeleton(name) for name in names]


@pytest.mark.parametrize(("one", "other"), [("沪上", "滤上"), ("alice", "alico"), ("张三", "张王"), ("nice", "vice")])
def test_different_names_stay_apart(one, other):
    assert skeleton(one) != skeleton(other)
