from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "luntan.moderation"
    verbose_name = "管理"
