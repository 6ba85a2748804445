from django.urls import path

from . import reserve, views

app_name = "plans"

urlpatterns = [
    path("people/<int:person_pk>/plans/", views.person_plans, name="person-plans"),
    path("people/<int:person_pk>/plans/new/", views.start, name="start"),
    path("plans/waiting/", views.waiting, name="waiting"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/what-matters/", views.outcomes, name="outcomes"),
    path("plans/<int:pk>/what-matters/<int:outcome_pk>/", views.outcomes, name="outcome"),
    path(
        "plans/<int:pk>/what-matters/<int:outcome_pk>/remove/",
        views.remove_outcome,
        name="remove-outcome",
    ),
    path("plans/<int:pk>/support/", views.lines, name="lines"),
    path("plans/<int:pk>/support/new/", views.line, name="add-line"),
    path("plans/<int:pk>/support/preview/", views.line_preview, name="line-preview"),
    path("plans/<int:pk>/support/<int:line_pk>/", views.line, name="line"),
    path(
        "plans/<int:pk>/support/<int:line_pk>/preview/",
        views.line_preview,
        name="line-preview-for",
    ),
    path("plans/<int:pk>/support/<int:line_pk>/remove/", views.remove_line, name="remove-line"),
    path("plans/<int:pk>/staying-safe/", views.safety, name="safety"),
    path("plans/<int:pk>/staying-safe/<int:risk_pk>/", views.safety, name="risk"),
    path(
        "plans/<int:pk>/staying-safe/<int:risk_pk>/remove/", views.remove_risk, name="remove-risk"
    ),
    path("plans/<int:pk>/who-helped/", views.helpers, name="helpers"),
    path("plans/<int:pk>/check/", views.check, name="check"),
    path("plans/<int:pk>/sent/", views.sent, name="sent"),
    path("plans/<int:pk>/return/", views.return_for_changes, name="return"),
    path("plans/<int:pk>/approve/", views.approve, name="approve"),
    path("plans/<int:pk>/panel/", views.panel, name="panel"),
    path("plans/<int:pk>/direct-payment/", views.direct_payment, name="direct-payment"),
    path("reserve/", reserve.reserves, name="reserves"),
    path("reserve/<int:pk>/", reserve.reserve_detail, name="reserve"),
]
