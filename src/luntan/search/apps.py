from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "luntan.search"
    verbose_name = "搜索"
