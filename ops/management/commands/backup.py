"""`make backup`: write a backup of the database DATABASE_URL names to var/backups/."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ops import backups


class Command(BaseCommand):
    help = (
        "Back up the database: a PostgreSQL custom-format dump (pg_dump), or an SQLite online "
        "backup, written to var/backups/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", type=Path, default=None, help="Where to write it (default var/backups/)"
        )
        parser.add_argument("--database", default="default", help="Which database alias")

    def handle(self, *args, directory, database, **options):
        try:
            path = backups.backup(connections[database].settings_dict, directory)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({size:,} bytes)"))
        self.stdout.write(f"Restore it with: make restore FILE={path}")
