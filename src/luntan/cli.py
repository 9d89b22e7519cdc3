"""The `luntan` command: Django's management commands and Luntan's own."""

import os
import sys

# Django command names cannot hold a hyphen; the documented names can.
ALIASES = {"import-keywords": "import_keywords", "publish-due": "publish_due", "check-counts": "check_counts"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luntan.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
