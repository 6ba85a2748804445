from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "ui"
    verbose_name = "GOV.UK presentation shared by every app"
