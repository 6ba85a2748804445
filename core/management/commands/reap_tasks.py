"""Re-queue background runs whose worker died (the database backend never retries)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = (
        "Re-queue tasks left RUNNING by a worker that stopped reporting progress for longer than "
        "the timeout; their runs are recomputed from scratch. Runs still beating are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=int(settings.TASK_STALE_AFTER.total_seconds() // 60),
            help="Re-queue a run whose heartbeat is older than this (default: the setting)",
        )

    def handle(self, *args, stale_minutes, **options):
        requeued = jobs.reap(dt.timedelta(minutes=max(1, stale_minutes)))
        self.stdout.write(f"Re-queued {requeued} stale task(s).")
