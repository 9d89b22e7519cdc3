"""Luntan (论坛): Chinese-language community boards and author columns."""
