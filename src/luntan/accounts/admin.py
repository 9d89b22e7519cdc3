from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class LuntanUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("资料", {"fields": ("bio",)}),)
    search_fields = ("username", "email")
