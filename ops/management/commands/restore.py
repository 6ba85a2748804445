"""`make restore FILE=...`: load a backup into the database DATABASE_URL names."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ops import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `make backup` into the database DATABASE_URL names, "
        "replacing what it holds. Stop the web and task processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file (from var/backups/)")
        parser.add_argument("--database", default="default", help="Which database alias")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation",
        )

    def handle(self, *args, file, database, interactive, **options):
        settings_dict = connections[database].settings_dict
        name = str(settings_dict["NAME"])
        if interactive:
            answer = input(
                f"This replaces everything in the database {name!r} with {file}.\n"
                f"Type the database name to go on: "
            )
            if answer.strip() != name:
                raise CommandError("Not restored: the name did not match.")
        try:
            backups.restore(file, settings_dict)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into {name}"))
        self.stdout.write(
            "Then run `python manage.py migrate` if the code is newer than the backup."
        )
