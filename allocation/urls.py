from django.urls import path

from .views import editor, equality, rates, runs, versions

app_name = "allocation"

urlpatterns = [
    path("ras/", versions.schemes, name="schemes"),
    path("ras/reference-rates/", rates.reference_rates, name="reference-rates"),
    path("ras/reference-rates/add/", rates.reference_rate_add, name="reference-rate-add"),
    path("ras/import/", versions.version_import, name="import"),
    path("ras/versions/<int:pk>/", versions.version_detail, name="version"),
    path("ras/versions/<int:pk>/export/", versions.version_export, name="export"),
    path("ras/versions/<int:pk>/copy/", versions.version_copy, name="copy"),
    path("ras/versions/<int:pk>/delete/", versions.delete_draft, name="delete"),
    path("ras/versions/<int:pk>/publish/", versions.publish, name="publish"),
    path("ras/versions/<int:pk>/domains/", editor.domains, name="domains"),
    path("ras/versions/<int:pk>/domains/<slug:code>/", editor.domain_edit, name="domain"),
    path(
        "ras/versions/<int:pk>/domains/<slug:code>/delete/",
        editor.domain_delete,
        name="domain-delete",
    ),
    path("ras/versions/<int:pk>/domains/<slug:code>/move/", editor.domain_move, name="domain-move"),
    path("ras/versions/<int:pk>/questions/", editor.questions, name="questions"),
    path("ras/versions/<int:pk>/questions/new/", editor.question_edit, name="question-new"),
    path("ras/versions/<int:pk>/questions/<slug:code>/", editor.question_edit, name="question"),
    path(
        "ras/versions/<int:pk>/questions/<slug:code>/delete/",
        editor.question_delete,
        name="question-delete",
    ),
    path("ras/versions/<int:pk>/money-tables/", editor.money_tables, name="money-tables"),
    path(
        "ras/versions/<int:pk>/money-tables/new/",
        editor.money_table_edit,
        name="money-table-new",
    ),
    path(
        "ras/versions/<int:pk>/money-tables/<slug:code>/",
        editor.money_table_edit,
        name="money-table",
    ),
    path(
        "ras/versions/<int:pk>/money-tables/<slug:code>/delete/",
        editor.money_table_delete,
        name="money-table-delete",
    ),
    path(
        "ras/versions/<int:pk>/money-tables/<slug:code>/move/",
        editor.money_table_move,
        name="money-table-move",
    ),
    path("ras/versions/<int:pk>/family-support/", editor.informal_support, name="informal-support"),
    path("ras/versions/<int:pk>/limits/", editor.limits, name="limits"),
    path("ras/versions/<int:pk>/model/", runs.model, name="model"),
    path("ras/versions/<int:pk>/calibrate/", runs.calibrate, name="calibrate"),
    path("ras/model-runs/<int:pk>/", runs.model_run, name="model-run"),
    path("ras/model-runs/<int:pk>/flags/<int:index>/", equality.justify, name="model-run-justify"),
    path("ras/model-runs/<int:pk>/assessment/", equality.assessment, name="model-run-assessment"),
    path("ras/model-runs/<int:pk>/equality-impact/", equality.impact, name="model-run-impact"),
    path("ras/calibrations/<int:pk>/", runs.calibration, name="calibration"),
    path("ras/<str:kind>/<int:pk>/progress/", runs.progress, name="progress"),
]
