"""`make serve`: the production stack on one machine.

Migrations, static files for WhiteNoise, gunicorn with a worker count from the machine, the
task worker(s), and the reaper every few minutes, all against DATABASE_URL. It stops them
all together: when one stops by itself, or on Ctrl+C / SIGTERM.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ops import serving

STOP_GRACE_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Serve with gunicorn and the task workers against DATABASE_URL, after migrating and "
        "collecting static files. SELFDIRECT_ENV=production applies the production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Web processes (default 2 × cores + 1; 0 for a machine that only runs tasks)",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=None,
            help="Task worker processes (default 1; 0 for a machine that only serves pages)",
        )
        parser.add_argument("--no-migrate", action="store_true", help="Do not run migrations")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Do not collect static files"
        )
        parser.add_argument(
            "--reap-minutes",
            type=float,
            default=5,
            help="How often to re-queue tasks whose worker died (0: never)",
        )

    def handle(self, *args, host, port, workers, task_workers, no_migrate, **options):
        if settings.DEBUG:
            raise CommandError("DJANGO_DEBUG is on: `make serve` serves with debugging off.")
        vendor = connection.vendor
        try:
            web = serving.web_workers() if workers is None else workers
            tasks = serving.task_workers(vendor) if task_workers is None else task_workers
        except ValueError as error:
            raise CommandError(str(error)) from error
        if web < 0 or tasks < 0 or web + tasks == 0:
            raise CommandError("Give at least one web or task worker, and no negative numbers.")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()  # the children open their own

        scheme = "https (behind your proxy)" if settings.IS_PRODUCTION else "plain http"
        where = f" on http://{host}:{port}" if web else ""
        self.stdout.write(
            f"Selfdirect ({settings.SELFDIRECT_ENV}, {vendor}){where}: {web} web worker(s), "
            f"{tasks} task worker(s), {scheme}. Ctrl+C stops it all.",
        )
        self.stdout.flush()
        children = [subprocess.Popen(serving.web_command(host, port, web))] if web else []  # noqa: S603
        children += [
            subprocess.Popen(serving.task_worker_command(index))  # noqa: S603
            for index in range(tasks)
        ]
        return self._supervise(children, options["reap_minutes"] * 60)

    def _supervise(self, children, reap_every: float) -> None:
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_reap = time.monotonic() + reap_every if reap_every else None
        failed = None
        try:
            while not stopping:
                for child in children:
                    if child.poll() is not None:
                        failed = child
                        stopping = True
                if next_reap and time.monotonic() >= next_reap:
                    subprocess.run(serving.reaper_command(), stdout=subprocess.DEVNULL, check=False)  # noqa: S603
                    next_reap = time.monotonic() + reap_every
                time.sleep(0.5)
        finally:
            self._stop(children)
        if failed is not None:
            self.stderr.write(
                f"{' '.join(failed.args[2:4])} stopped (exit code {failed.returncode}): "
                "stopped everything else."
            )
            sys.exit(1)

    @staticmethod
    def _stop(children) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
