from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Support plans"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
