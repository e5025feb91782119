"""`python -m clearsight <command>`: Django's management commands, with the embedded
PostgreSQL server started first when no DATABASE_URL is given."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearsight.settings")
    if not os.environ.get("DATABASE_URL") and len(sys.argv) > 1 and sys.argv[1] != "help":
        from clearsight import embedded_db

        embedded_db.start()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["clearsight", *sys.argv[1:]])


if __name__ == "__main__":
    main()
