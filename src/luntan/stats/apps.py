from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "luntan.stats"
    verbose_name = "统计"
