from django.contrib import admin

from .models import Board, Post


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "position", "thread_count", "post_count", "last_activity")
    list_editable = ("position",)
    filter_horizontal = ("moderators",)
    readonly_fields = ("thread_count", "post_count", "last_activity")
    prepopulated_fields = {"slug": ("name",)}


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
