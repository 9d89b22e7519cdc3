from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "luntan.forum"
    verbose_name = "论坛"
