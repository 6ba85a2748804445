"""Django's username and password backend, with the signed-in user read by plain SQL.

Every signed-in request reads its user again (so a deactivated account, a changed role or a
changed password, which ends other sessions, takes effect at once); core.rows makes that read
cheap. Everything else, signing in included, is Django's ModelBackend.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from core.rows import get_row


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = get_row(model, equal={"pk": pk})
        return user if user is not None and self.user_can_authenticate(user) else None
