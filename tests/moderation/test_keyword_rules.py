"""Keyword rules: the one way in (validation, operators only, the version bump),
the per-process matcher that follows the version, and the admin."""

import pytest
from django.db.models import F
from django.test import Client

from luntan.errors import Conflict, Invalid, NotAllowed
from luntan.forum import services as forum
from luntan.forum.models import Post
from luntan.moderation import rules, screening
from luntan.moderation.models import KeywordRule, KeywordRuleSet
from luntan.moderation.screening import CHECK_SECONDS, rule_cache
from luntan.moderation.selectors import rule_version



@pytest.fixture
def clock(monkeypatch):
    """The matcher's clock, advanced by hand."""

    class Clock:
        now = 1000.0

        def __call__(self):
            return self.now

        def advance(self, seconds):
            self.now += seconds

    ticking = Clock()
    monkeypatch.setattr(rule_cache, "clock", ticking)
    rule_cache.forget()  # a matcher timed by the real clock (e.g. built by a fixture's sign-up) goes
    return ticking


def blocked(text: str) -> bool:
    try:
        screening.screen_post(title="标题", body=text)
    except Invalid:
        return True
    return False


# --- the one way in ----------------------------------------------------------------


@pytest.mark.django_db
def test_add_rule_stores_the_rule_and_bumps_the_version(operator):
    before = rule_version()
    rule = rules.add_rule(actor=operator, pattern=" 發票代開 ", action="block", category=" 广告 ")
    assert (rule.pattern, rule.action, rule.category, rule.replacement) == ("發票代開", "block", "广告", "")
    assert rule.created_by == operator and rule.created is not None
    assert rule_version() == before + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field, says",
    [
        ({"pattern": "", "action": "block"}, "pattern", "不能为空"),
        ({"pattern": " ，。 ", "action": "block"}, "pattern", "不能为空"),  # nothing left after folding
        ({"pattern": "\u200b", "action": "block"}, "pattern", "不能为空"),
        ({"pattern": "词", "action": "delete"}, "action", "block"),
        ({"pattern": "词", "action": "block", "replacement": "好"}, "replacement", "替换"),
        ({"pattern": "词" * 101, "action": "block"}, "pattern", "100"),
    ],
)
def test_add_rule_refuses_bad_rules(operator, fields, field, says):
    with pytest.raises(Invalid) as refused:
        rules.add_rule(actor=operator, **fields)
    assert refused.value.field == field and says in refused.value.message
    assert not KeywordRule.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("twin", ["发票代开", "發票代開", "发票 代开", "发票·代开"])
def test_the_same_word_twice_is_a_conflict(operator, twin):
    rules.add_rule(actor=operator, pattern="发票代开", action="block")
    version = rule_version()
    with pytest.raises(Conflict) as conflict:
        rules.add_rule(actor=operator, pattern=twin, action="review")
    assert conflict.value.status == 409 and "发票代开" in conflict.value.message
    assert KeywordRule.objects.count() == 1 and rule_version() == version


@pytest.mark.django_db
def test_only_operators_change_rules(alice, operator):
    with pytest.raises(NotAllowed):
        rules.add_rule(actor=alice, pattern="词语", action="block")
    rule = rules.add_rule(actor=operator, pattern="词语", action="block")
    with pytest.raises(NotAllowed):
        rules.delete_rule(actor=alice, rule=rule)
    with pytest.raises(NotAllowed):
        rules.update_rule(actor=alice, rule=rule, pattern="词语", action="allow")
    with pytest.raises(NotAllowed):
        rules.import_rules(actor=alice, lines=["别的词"])
    assert list(KeywordRule.objects.values_list("pattern", "action")) == [("词语", "block")]


@pytest.mark.django_db
def test_update_and_delete_bump_the_version(operator):
    rule = rules.add_rule(actor=operator, pattern="坏蛋", action="block")
    version = rule_version()
    rules.update_rule(actor=operator, rule=rule, pattern="坏蛋", action="replace", replacement="好人")
    assert KeywordRule.objects.get().replacement == "好人" and rule_version() == version + 1
    rules.delete_rule(actor=operator, rule=rule)
    assert not KeywordRule.objects.exists() and rule_version() == version + 2


@pytest.mark.django_db
def test_the_version_row_is_recreated_if_missing(operator):
    KeywordRuleSet.objects.all().delete()  # as after a test database flush
    assert rule_version() == 0
    rules.add_rule(actor=operator, pattern="词语", action="block")
    assert rule_version() == 1


# --- the matcher follows the version ---------------------------------------------


@pytest.mark.django_db
def test_a_rule_change_in_this_process_applies_to_the_next_post(operator, alice, board, clock):
    assert not blocked("发票代开")  # the matcher is built and fresh
    rules.add_rule(actor=operator, pattern="发票代开", action="block")
    assert blocked("发票代开")
    rules.delete_rule(actor=operator, rule=KeywordRule.objects.get())
    assert not blocked("发票代开")


@pytest.mark.django_db
def test_a_rule_change_by_another_process_is_picked_up_within_the_check_interval(alice, board, clock):
    assert not blocked("发票代开")
    # Another process adds a rule: its row and its version bump, nothing in this process's memory.
    KeywordRule.objects.create(pattern="发票代开", key="发票代开", action="block", category="广告")
    KeywordRuleSet.objects.filter(pk=1).update(version=F("version") + 1)

    clock.advance(CHECK_SECONDS / 2)
    assert not blocked("发票代开")  # not yet checked: no query per post
    clock.advance(CHECK_SECONDS / 2)
    assert blocked("发票代开")
    with pytest.raises(Invalid, match="广告"):
        forum.create_thread(author=alice, board=board, title="广告", body="發票代開")
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_the_matcher_is_not_rebuilt_while_the_version_stands(operator, clock, django_assert_num_queries):
    rules.add_rule(actor=operator, pattern="发票代开", action="block")
    built = rule_cache.matcher()
    with django_assert_num_queries(0):
        assert rule_cache.matcher() is built  # within the interval: not even the version is read
    clock.advance(CHECK_SECONDS)
    with django_assert_num_queries(1):  # the version, and no rebuild
        assert rule_cache.matcher() is built
    rule_cache.recheck()
    with django_assert_num_queries(1):
        assert rule_cache.matcher() is built

    KeywordRuleSet.objects.filter(pk=1).update(version=F("version") + 1)
    rule_cache.recheck()
    with django_assert_num_queries(2):  # the version, then the rules
        assert rule_cache.matcher() is not built


@pytest.mark.django_db
def test_import_applies_in_one_bump(operator, clock):
    version = rule_version()
    added, errors = rules.import_rules(actor=operator, lines=["发票代开|block|广告", "代开|bogus", "傻逼,replace"])
    assert (added, [number for number, _ in errors]) == (2, [2])
    assert rule_version() == version + 1
    assert blocked("發票代開")


# --- admin -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_goes_through_the_services(operator, client_for):
    browser = client_for(operator)
    version = rule_version()

    response = browser.post(
        "/admin/moderation/keywordrule/add/", {"pattern": "发票代开", "action": "block", "category": "广告", "replacement": ""}
    )
    assert response.status_code == 302, response.content.decode()
    rule = KeywordRule.objects.get()
    assert (rule.key, rule.created_by, rule_version()) == ("发票代开", operator, version + 1)
    assert blocked("发票代开")

    page = browser.get("/admin/moderation/keywordrule/", {"q": "发票", "action__exact": "block"}).content.decode()
    assert "发票代开" in page

    duplicate = browser.post("/admin/moderation/keywordrule/add/", {"pattern": "發票 代開", "action": "review"})
    assert duplicate.status_code == 200 and "每个词只能有一条规则" in duplicate.content.decode()
    wrong = browser.post("/admin/moderation/keywordrule/add/", {"pattern": "别的", "action": "block", "replacement": "x"})
    assert wrong.status_code == 200 and KeywordRule.objects.count() == 1

    changed = browser.post(
        f"/admin/moderation/keywordrule/{rule.pk}/change/", {"pattern": "发票代开", "action": "review", "category": "广告"}
    )
    assert changed.status_code == 302 and KeywordRule.objects.get().action == "review"
    assert rule_version() == version + 2

    deleted = browser.post(f"/admin/moderation/keywordrule/{rule.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and not KeywordRule.objects.exists()
    assert rule_version() == version + 3
    assert not blocked("发票代开")


@pytest.mark.django_db
def test_the_admin_bulk_delete_goes_through_the_services(operator, client_for):
    rules.import_rules(actor=operator, lines=["一号", "二号", "三号"])
    version = rule_version()
    ids = list(KeywordRule.objects.values_list("pk", flat=True)[:2])
    response = client_for(operator).post(
        "/admin/moderation/keywordrule/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert list(KeywordRule.objects.values_list("pattern", flat=True)) == ["三号"]
    assert rule_version() > version
    assert blocked("三号") and not blocked("一号")


@pytest.mark.django_db
def test_members_have_no_admin(alice):
    browser = Client()
    browser.force_login(alice)
    assert browser.get("/admin/moderation/keywordrule/").status_code == 302  # to the admin's login
