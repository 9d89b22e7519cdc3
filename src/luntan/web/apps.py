from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "luntan.web"
    verbose_name = "网站页面"
