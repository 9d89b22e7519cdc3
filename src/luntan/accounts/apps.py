from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luntan.accounts"
    verbose_name = "账户"
