from django.contrib import admin

from .models import Post

# Board's admin lives in moderation/admin.py: saving a board appoints and
# dismisses its moderators through moderation.moderators, which sits above forum.


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
