"""`luntan import-keywords FILE`: good lines kept, bad lines reported by number."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from luntan.errors import Invalid
from luntan.forum import services as forum
from luntan.forum.models import Post
from luntan.moderation.models import KeywordRule
from luntan.moderation.selectors import rule_version

WORD_LIST = """\
# 广告类
发票代开|block|广告
傻逼\treplace\t辱骂
法轮功,review,政治

坏蛋|replace||好人
代写论文
foo|zap|杂项
發票 代開|review
 ，，|block
路口交通|allow
傻逼|block
口交|屏蔽|色情
好人|block||替换词
"""



@pytest.fixture
def word_list(tmp_path) -> Path:
    path = tmp_path / "words.txt"
    path.write_text(WORD_LIST, encoding="utf-8")
    return path


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_keywords", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_good_lines_are_kept_and_bad_lines_reported_by_number(word_list, alice, board):
    version = rule_version()

    out, err = run(word_list)

    rules = {r.pattern: (r.action, r.category, r.replacement) for r in KeywordRule.objects.all()}
    assert rules == {
        "发票代开": ("block", "广告", ""),
        "傻逼": ("replace", "辱骂", ""),
        "法轮功": ("review", "政治", ""),
        "坏蛋": ("replace", "", "好人"),
        "代写论文": ("block", "", ""),  # a pattern alone takes the default action
        "路口交通": ("allow", "", ""),
        "口交": ("block", "色情", ""),  # the action in Chinese
    }
    assert all(rule.created_by is None for rule in KeywordRule.objects.all())
    reported = dict(line.split("：", 1) for line in err.strip().splitlines())
    assert set(reported) == {"第 8 行", "第 9 行", "第 10 行", "第 12 行", "第 14 行"}
    assert "block" in reported["第 8 行"]  # unknown action
    assert "第 2 行" in reported["第 9 行"]  # the same word as line 2, in the other script
    assert "不能为空" in reported["第 10 行"]
    assert "第 3 行" in reported["第 12 行"]
    assert "替换" in reported["第 14 行"]  # a replacement on a block rule
    assert "导入了 7 条规则" in out and "5 行有误" in out
    assert rule_version() == version + 1  # one transaction, one bump

    with pytest.raises(Invalid, match="广告"):
        forum.create_thread(author=alice, board=board, title="标题", body="發票代開")
    post = forum.create_thread(author=alice, board=board, title="路口交通", body="你这个坏蛋")
    assert Post.objects.get(pk=post.pk).body == "你这个好人"


@pytest.mark.django_db
def test_importing_again_reports_every_word_as_known(word_list):
    run(word_list)
    version = rule_version()
    out, err = run(word_list)
    assert "导入了 0 条规则" in out and "已有「发票代开」的规则" in err
    assert KeywordRule.objects.count() == 7 and rule_version() == version


@pytest.mark.django_db
def test_the_actor_and_the_default_action(tmp_path, operator, alice):
    path = tmp_path / "review.txt"
    path.write_text("\ufeff法轮功\n六四|block\n", encoding="utf-8")  # a BOM, as Windows editors write

    run(path, "--actor", operator.username, "--action", "review")

    assert list(KeywordRule.objects.values_list("pattern", "action", "created_by")) == [
        ("法轮功", "review", operator.pk), ("六四", "block", operator.pk)
    ]
    with pytest.raises(CommandError, match="不存在"):
        run(path, "--actor", "nobody")
    with pytest.raises(CommandError, match="站务"):
        run(path, "--actor", alice.username)


@pytest.mark.django_db
def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(CommandError, match="读不了"):
        run(tmp_path / "missing.txt")
    latin = tmp_path / "gbk.txt"
    latin.write_bytes("发票代开\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(latin)
    assert not KeywordRule.objects.exists()


def test_the_luntan_command_knows_the_hyphenated_name():
    luntan = Path(sys.executable).with_name("luntan")
    command = [str(luntan)] if luntan.exists() else [sys.executable, "-m", "luntan.cli"]
    done = subprocess.run([*command, "import-keywords", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "pattern<SEP>action<SEP>category" in done.stdout and "--actor USERNAME" in done.stdout
