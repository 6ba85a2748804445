from django.contrib import admin
from django.urls import include, path

from ops.views import healthz

from . import views
from .api import api

admin.site.site_header = "Selfdirect administration"
admin.site.site_title = "Selfdirect administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("feedback/", views.feedback, name="feedback"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("people.urls")),
    path("", include("assessment.urls")),
    path("", include("allocation.urls")),
    path("", include("budgets.urls")),
    path("", include("plans.urls")),
    path("", include("challenges.urls")),
    path("", include("reviews.urls")),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
