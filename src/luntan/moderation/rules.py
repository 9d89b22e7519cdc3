"""The keyword rules (敏感词): add, change, delete and import them.

Every rule change locks and bumps the one version row in its own transaction,
which serialises rule changes and tells every process to rebuild its matcher
(see moderation.screening).

`actor` is the operator making the change. None means the site's own command
line (`luntan import-keywords` without --actor): whoever runs it already
holds the keys to the site.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotAllowed, UserError
from luntan.textfields import clean_text

from .models import KeywordRule, KeywordRuleSet, rule_key
from .screening import rule_cache

_ACTIONS = {action.value: action for action in KeywordRule.Action}
# An import file may name the action in Chinese too.
_ACTIONS.update({action.label: action for action in KeywordRule.Action})


def _check_operator(actor: User | None) -> None:
    if actor is not None and not actor.is_operator:
        raise NotAllowed("只有站务才能修改关键词规则。")


def clean_rule(*, pattern: str, action: str, category: str = "", replacement: str = "", rule: KeywordRule | None = None) -> dict:
    """The rule's fields, validated and with its key; `rule` is the one being
    changed (it does not conflict with itself). Raises Invalid or Conflict."""
    fields = _validated(pattern, action, category, replacement)
    twin = KeywordRule.objects.filter(key=fields["key"]).exclude(pk=rule.pk if rule else None).first()
    if twin is not None:
        raise Conflict(_duplicate(twin, fields["pattern"]), field="pattern")
    return fields


def _validated(pattern: str, action: str, category: str, replacement: str) -> dict:
    """Everything about a rule that needs no database."""
    limit = settings.LUNTAN["KEYWORD_MAX"]
    pattern = clean_text(pattern, field="pattern", label="关键词", limit=limit)
    key = rule_key(pattern)
    if not key:
        raise Invalid("关键词不能为空（只有空格或标点不算）。", field="pattern")
    if len(key) > limit:
        # Folding can lengthen a word (ß to ss); the key is stored in a column of the same size.
        raise Invalid(f"关键词不能超过 {limit} 个字。", field="pattern")
    choice = _ACTIONS.get((action or "").strip().lower())
    if choice is None:
        raise Invalid("处理方式只能是 block（屏蔽）、review（审核）、replace（替换）或 allow（放行）。", field="action")
    replacement = clean_text(
        replacement, field="replacement", label="替换为", limit=settings.LUNTAN["KEYWORD_REPLACEMENT_MAX"]
    )
    if replacement and choice != KeywordRule.Action.REPLACE:
        raise Invalid("只有“替换”规则才能填写替换为。", field="replacement")
    category = clean_text(category, field="category", label="类别", limit=settings.LUNTAN["KEYWORD_CATEGORY_MAX"])
    return {"pattern": pattern, "key": key, "action": choice.value, "category": category, "replacement": replacement}


def _duplicate(twin: KeywordRule, pattern: str) -> str:
    same = "已有" if twin.pattern == pattern else f"「{pattern}」与已有规则"
    return f"{same}「{twin.pattern}」（{twin.get_action_display()}），每个词只能有一条规则。"


def _changing_rules() -> KeywordRuleSet:
    """Lock the version row for this transaction: rule changes run one at a time."""
    ruleset, _ = KeywordRuleSet.objects.select_for_update().get_or_create(pk=1)
    return ruleset


def _rules_changed(ruleset: KeywordRuleSet) -> None:
    ruleset.version += 1
    ruleset.save(update_fields=["version"])
    # This process need not wait for its next version check; other processes
    # see the new version within screening.CHECK_SECONDS.
    rule_cache.forget()
    transaction.on_commit(rule_cache.forget)


def add_rule(*, actor: User | None, pattern: str, action: str, category: str = "", replacement: str = "") -> KeywordRule:
    _check_operator(actor)
    with transaction.atomic():
        ruleset = _changing_rules()
        fields = clean_rule(pattern=pattern, action=action, category=category, replacement=replacement)
        rule = KeywordRule.objects.create(**fields, created_by=actor)
        _rules_changed(ruleset)
    return rule


def update_rule(
    *, actor: User | None, rule: KeywordRule, pattern: str, action: str, category: str = "", replacement: str = ""
) -> KeywordRule:
    _check_operator(actor)
    with transaction.atomic():
        ruleset = _changing_rules()
        fields = clean_rule(pattern=pattern, action=action, category=category, replacement=replacement, rule=rule)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save(update_fields=list(fields))
        _rules_changed(ruleset)
    return rule


def delete_rule(*, actor: User | None, rule: KeywordRule) -> None:
    _check_operator(actor)
    with transaction.atomic():
        ruleset = _changing_rules()
        KeywordRule.objects.filter(pk=rule.pk).delete()
        _rules_changed(ruleset)


# pattern, or pattern<sep>action<sep>category<sep>replacement with any tail left out
_IMPORT_SEPARATOR = re.compile(r"[\t|,]")


def import_rules(
    *, actor: User | None, lines: Iterable[str], default_action: str = KeywordRule.Action.BLOCK
) -> tuple[int, list[tuple[int, str]]]:
    """Add one rule per line (format: see the import_keywords command); skip
    blank lines and # comments. Bad lines are reported as (line number,
    message) and the good ones kept: all in one transaction, one version bump.
    Returns (rules added, errors)."""
    _check_operator(actor)
    errors: list[tuple[int, str]] = []
    with transaction.atomic():
        ruleset = _changing_rules()
        known = dict(KeywordRule.objects.values_list("key", "pattern"))
        seen: dict[str, int] = {}  # key → line number, for the file's own duplicates
        new_rules = []
        for number, line in enumerate(lines, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, action, category, replacement = (
                [part.strip() for part in _IMPORT_SEPARATOR.split(line, maxsplit=3)] + ["", "", ""]
            )[:4]
            try:
                fields = _validated(pattern, action or default_action, category, replacement)
            except UserError as error:
                errors.append((number, error.message))
                continue
            # Duplicates are settled from one query, not a query per line.
            key = fields["key"]
            if key in seen:
                errors.append((number, f"「{fields['pattern']}」与第 {seen[key]} 行重复。"))
                continue
            if key in known:
                errors.append((number, f"已有「{known[key]}」的规则。"))
                continue
            seen[key] = number
            new_rules.append(KeywordRule(**fields, created_by=actor))
        KeywordRule.objects.bulk_create(new_rules, batch_size=1000)
        if new_rules:
            _rules_changed(ruleset)
    return len(new_rules), errors
