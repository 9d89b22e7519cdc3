from django.apps import AppConfig


class MessagesConfig(AppConfig):
    name = "luntan.messages"
    # "messages" is taken by django.contrib.messages.
    label = "private_messages"
    verbose_name = "悄悄话"
