from django.apps import AppConfig


class RateLimitConfig(AppConfig):
    name = "luntan.ratelimit"
    label = "ratelimit"
    verbose_name = "频率限制"
