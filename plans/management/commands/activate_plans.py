"""Make active every approved support plan whose start date has come (run daily)."""

import datetime as dt

from core.commands import ActingCommand
from plans import actions


class Command(ActingCommand):
    help = "Make active every approved support plan whose start date has come (run daily)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, on=None, **options):
        count = actions.activate_due_plans(acting_user=self.acting_user, on=on)
        self.stdout.write(f"{count} plan(s) became active")
