"""Security notices by email: a second factor added or removed, a password changed.

Sent through Django's mail API (settings.EMAIL_BACKEND): files in var/mail/ for the demo,
SMTP in production, an in-memory outbox in tests. Actions send them on commit, so a notice
goes only if the change happened. An account without an email address gets no email; the
account page lists its authenticator apps with their dates either way.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

log = logging.getLogger(__name__)

SUBJECTS = {
    "factor_added": "An authenticator app was added to your account",
    "factor_removed": "Your authenticator app was removed from your account",
    "password_changed": "Your password was changed",
}


def send(kind: str, user, **context) -> bool:
    """Email `user` the notice `kind`; False if they have no address or sending failed."""
    if not user.email:
        return False
    body = render_to_string(
        f"accounts/email/{kind}.txt",
        {
            "user": user,
            "council_name": settings.COUNCIL_NAME,
            "service_name": settings.SERVICE_NAME,
            "when": timezone.localtime(),
            **context,
        },
    )
    try:
        send_mail(
            f"{settings.COUNCIL_NAME}: {SUBJECTS[kind]}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except OSError:
        # The change itself has been made; a mail server that is down must not undo it.
        log.exception("Could not send the %s notice to user %s", kind, user.pk)
        return False
    return True
