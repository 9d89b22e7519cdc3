"""Reads for moderation: the keyword rules and their version."""

from django.db.models import QuerySet

from luntan.zh.keywords import Action, Rule

from .models import KeywordRule, KeywordRuleSet


def rule_version() -> int:
    """The rules' current version: one indexed single-row read."""
    return KeywordRuleSet.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def matcher_rules() -> list[Rule]:
    """Every rule, as the matcher takes them."""
    return [
        Rule(pattern, Action(action), category, replacement, id)
        for id, pattern, action, category, replacement in KeywordRule.objects.order_by("id").values_list(
            "id", "pattern", "action", "category", "replacement"
        )
    ]


def keyword_rules() -> QuerySet[KeywordRule]:
    return KeywordRule.objects.order_by("id")
