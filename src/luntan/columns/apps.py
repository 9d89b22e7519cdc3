from django.apps import AppConfig


class ColumnsConfig(AppConfig):
    name = "luntan.columns"
    verbose_name = "专栏"
