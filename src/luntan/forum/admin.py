from django.contrib import admin
from django.db import transaction

from luntan.moderation import moderators

from .models import Board, Post


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


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read-only here: posts change through the forum's services (pages and API)."""

    list_display = ("title", "author", "board", "created", "status", "reply_count", "views")
    list_filter = ("board", "status")
    search_fields = ("title",)
    list_select_related = ("author", "board")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
