"""Issue a one-time activation code from the server, for the first administrator.

Everyone else gets their code from an administrator in the administration site. Someone
who can run commands on the server is the second channel here.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import actions
from accounts.models import User
from core import context
from core.actions import ActionError


class Command(BaseCommand):
    help = "Print a one-time activation code with which a member of staff sets up their authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}")
        with context.working_as("command"):
            try:
                issued = actions.issue_activation_code(user, acting_user=None)
            except ActionError as error:
                raise CommandError(error.message) from None
        expires = timezone.localtime(issued.code.expires_at)
        self.stdout.write(f"Activation code for {user.username}: {issued.grouped}")
        self.stdout.write(f"It works once, until {expires:%d %B %Y %H:%M}.")
