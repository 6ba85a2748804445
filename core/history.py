"""django-simple-history rows written inside an action carry its user and reason.

Connected once (CoreConfig.ready). Outside an action, simple-history's own rules apply.
"""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from . import actions


@receiver(pre_create_historical_record)
def stamp_history(sender, instance, history_instance, **kwargs):
    frame = actions.current()
    if frame is None:
        return
    if getattr(frame.user, "pk", None) and not getattr(instance, "_history_user", None):
        history_instance.history_user = frame.user
    if frame.reason and not getattr(instance, "_change_reason", None):
        history_instance.history_change_reason = frame.reason
