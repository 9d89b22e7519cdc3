from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from luntan.errors import UserError
from luntan.forum.models import Board

from . import moderators, review, rules
from .models import Ban, KeywordRule, ModerationLog, ModerationSettings, Report, ReviewItem


class KeywordRuleForm(forms.ModelForm):
    class Meta:
        model = KeywordRule
        fields = ["pattern", "action", "category", "replacement"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                rules.clean_rule(
                    pattern=data["pattern"], action=data["action"], category=data.get("category", ""),
                    replacement=data.get("replacement", ""), rule=self.instance if self.instance.pk else None,
                )
            except UserError as error:
                raise ValidationError({error.field: error.message} if error.field else error.message) from None
        return data


def _operators_only(request) -> bool:
    return request.user.is_active and request.user.is_operator


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    """Every save and delete goes through moderation.rules, so the rule
    version moves and every process picks the change up."""

    form = KeywordRuleForm
    list_display = ["pattern", "action", "category", "replacement", "created", "created_by"]
    list_filter = ["action", "category"]
    search_fields = ["pattern", "category"]
    list_per_page = 100

    def has_module_permission(self, request):
        return _operators_only(request)

    def has_view_permission(self, request, obj=None):
        return _operators_only(request)

    def has_add_permission(self, request):
        return _operators_only(request)

    def has_change_permission(self, request, obj=None):
        return _operators_only(request)

    def has_delete_permission(self, request, obj=None):
        return _operators_only(request)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name, "") for name in ("pattern", "action", "category", "replacement")}
        if change:
            rules.update_rule(actor=request.user, rule=obj, **fields)
        else:
            obj.pk = rules.add_rule(actor=request.user, **fields).pk  # the admin links to the saved rule

    def delete_model(self, request, obj):
        rules.delete_rule(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for rule in queryset:
                rules.delete_rule(actor=request.user, rule=rule)


class ReadOnlyForOperators(admin.ModelAdmin):
    """Records to look at: every change to them goes through the moderation pages and API."""

    def has_module_permission(self, request):
        return _operators_only(request)

    def has_view_permission(self, request, obj=None):
        return _operators_only(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyForOperators):
    list_display = ["post", "reasons", "created", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["post", "decided_by"]


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyForOperators):
    list_display = ["created", "actor", "action", "board", "post", "target_user", "reason"]
    list_filter = ["action", "board"]
    list_select_related = ["actor", "board", "post", "target_user"]


@admin.register(Ban)
class BanAdmin(ReadOnlyForOperators):
    list_display = ["user", "board", "until", "reason", "created_by", "created", "lifted_at"]
    list_select_related = ["user", "board", "created_by"]


@admin.register(Report)
class ReportAdmin(ReadOnlyForOperators):
    list_display = ["created", "reporter", "post", "message", "reason", "resolved_by", "resolution"]
    list_select_related = ["reporter", "post", "message", "resolved_by"]


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """The operator's moderation settings (one row), changed through moderation.review."""

    fields = ["new_account_review_posts"]

    def has_module_permission(self, request):
        return _operators_only(request)

    def has_view_permission(self, request, obj=None):
        return _operators_only(request)

    def has_add_permission(self, request):
        return _operators_only(request) and not ModerationSettings.objects.exists()

    def has_change_permission(self, request, obj=None):
        return _operators_only(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = review.set_newcomer_review(actor=request.user, posts=form.cleaned_data["new_account_review_posts"])
        obj.pk = saved.pk


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "position", "thread_count", "post_count", "last_activity")
    list_editable = ("position",)
    filter_horizontal = ("moderators",)
    readonly_fields = ("thread_count", "post_count", "last_activity")
    prepopulated_fields = {"slug": ("name",)}

    def save_related(self, request, form, formsets, change):
        """Moderators are appointed and dismissed through moderation.moderators,
        so the admin's changes reach the log and the member is told."""
        board = form.instance
        chosen = set(form.cleaned_data.get("moderators", []))
        before = set(board.moderators.all()) if change else set()
        form.cleaned_data["moderators"] = list(before)  # Django's own save leaves them as they were
        super().save_related(request, form, formsets, change)
        with transaction.atomic():
            for user in chosen - before:
                moderators.appoint_moderator(actor=request.user, board=board, user=user)
            for user in before - chosen:
                moderators.dismiss_moderator(actor=request.user, board=board, user=user)
