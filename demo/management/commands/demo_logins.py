"""Print the demo council's sign-ins, one per role."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User
from demo.passwords import DEFAULT_DEMO_PASSWORD, demo_password

DEMO_USERNAMES = [
    "practitioner",
    "approver",
    "finance",
    "commissioner",
    "provider",
    "admin",
    "person",
    "representative",
]


class Command(BaseCommand):
    help = "List the demo logins (usernames named after their role) and the demo password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="Where the service is running"
        )

    def handle(self, *args, url, **options):
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("team")
        }
        if not users:
            self.stdout.write(
                "No demo logins: load the demo council with `python manage.py seed_demo`."
            )
            return
        password = demo_password()
        sample = users.get("practitioner") or next(iter(users.values()))
        if not sample.check_password(password):
            password = "(the DEMO_PASSWORD that was set when the demo council was loaded)"  # noqa: S105
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{settings.COUNCIL_NAME} is running at {url}"))
        self.stdout.write("Demo sign-ins (all made up):")
        for username in DEMO_USERNAMES:
            user = users.get(username)
            if user:
                where = f", {user.team}" if user.team else ""
                self.stdout.write(f"  {username:<15} {user.role_label}{where}")
        source = (
            "DEMO_PASSWORD"
            if password != DEFAULT_DEMO_PASSWORD
            else "default; set DEMO_PASSWORD to change"
        )
        self.stdout.write(f"Password for all of them: {password}  ({source})")
        if settings.STAFF_OTP != "required":
            self.stdout.write(
                "Staff second factor is off for this local demo (SELFDIRECT_STAFF_OTP=required turns it on)."
            )
        else:
            self.stdout.write(
                "Staff set up an authenticator app with an activation code: "
                "`python manage.py issue_activation_code USERNAME` prints one."
            )
        self.stdout.write("")
