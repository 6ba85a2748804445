"""Finding the version a command is about: an id, or `live`."""

from django.core.management.base import CommandError

from allocation.models import RasVersion
from core.commands import ActingCommand


def resolve(value: str, kind: str = "person") -> RasVersion:
    if value == "live":
        version = RasVersion.objects.live_on(kind)
        if version is None:
            raise CommandError(f"No {kind} scheme version is live today")
        return version
    try:
        return RasVersion.objects.select_related("scheme").get(pk=int(value))
    except (ValueError, RasVersion.DoesNotExist):
        raise CommandError(f"No RAS version {value!r}: give its id, or `live`") from None


class VersionCommand(ActingCommand):
    """A command whose --version names a RAS version (Django's own --version gives way)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)
