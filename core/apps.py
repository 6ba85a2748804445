from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Audit trail and shared plumbing"

    def ready(self):
        from . import history  # noqa: F401  (stamps history rows with the acting user)

        # Each app's permissions (django-rules) and background tasks register themselves.
        autodiscover_modules("permissions")
        autodiscover_modules("tasks")
