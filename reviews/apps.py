from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and reablement"

    def ready(self):
        from . import permissions  # noqa: F401
