"""Password rules beyond Django's own (length, similarity, common and numeric passwords)."""

import re

from django.core.exceptions import ValidationError

# One character, or a short group of up to 3, repeated: "aaaaaaaaaaaa", "abababababab", "abcabcabcabc".
_REPEATED = re.compile(r"^(.{1,3})\1+$", re.DOTALL)


class RepeatedCharactersValidator:
    """Refuse a password that is one character (or a short group) typed over and over."""

    message = (
        "Your password must not be the same character, or the same few characters, repeated "
        "(like ‘aaaaaaaaaaaa’ or ‘abcabcabcabc’)"
    )

    def validate(self, password, user=None):
        if _REPEATED.match(password or ""):
            raise ValidationError(self.message, code="password_repeated")

    def get_help_text(self):
        return "Your password must not be the same character or few characters repeated."
