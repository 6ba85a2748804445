"""Management commands that write: they act as a named user (`--as`), through actions,
and their writes are stamped "command" in the audit trail."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from . import context


class ActingCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--as",
            dest="acting_username",
            default=None,
            help="The username the writes are recorded against (default: the system)",
        )
        return parser

    def execute(self, *args, **options):
        self.acting_user = self._acting_user(options.get("acting_username"))
        with context.working_as("command"):
            return super().execute(*args, **options)

    @staticmethod
    def _acting_user(username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        return user
