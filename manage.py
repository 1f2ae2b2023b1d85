#!/usr/bin/env python
import os
import sys

#: Commands that only read the models and sign nothing: they may run without a production secret key
#: (settings refuse to start without one, so that no server ever runs on a made-up key).
KEYLESS_COMMANDS = {"makemigrations", "showmigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("DJANGO_SECRET_KEY", "unused-by-read-only-management-commands")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
