"""Listing versions, reading one, copying, exporting, importing and publishing."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..domain import definition as ras
from ..forms import CopyForm, ImportForm, PublishForm
from ..models import PublishError, RasScheme, RasVersion
from .common import get_version, manager_view, manages_ras, staff_view


@staff_view
def schemes(request):
    versions = RasVersion.objects.select_related("scheme").order_by("scheme__kind", "-number")
    if not manages_ras(request.user):
        versions = versions.published()
    grouped = [
        (scheme, [v for v in versions if v.scheme_id == scheme.pk])
        for scheme in RasScheme.objects.all()
    ]
    return render(
        request,
        "allocation/schemes.html",
        {"grouped": grouped, "manages": manages_ras(request.user)},
    )


def _tasks(version):
    """The builder's task list with each task's status."""
    definition = version.parsed
    problems = ras.publication_problems(definition)
    questions_ok = definition.questions and not any(
        "Question" in p or "question" in p for p in problems
    )
    allocation_ok = not any("price per point" in p for p in problems)
    modelled = version.latest_model_run() is not None
    ready = questions_ok and allocation_ok and modelled
    return [
        ("Domains", "allocation:domains", "Completed" if definition.domains else "Not yet started"),
        (
            "Questions and answers",
            "allocation:questions",
            "Completed" if questions_ok else "Incomplete",
        ),
        ("Points to money", "allocation:rule", "Completed" if allocation_ok else "Incomplete"),
        ("Limits", "allocation:limits", "Completed"),
        (
            "Model it over every current person",
            "allocation:model",
            "Completed" if modelled else "Not yet started",
        ),
        (
            "Check and publish",
            "allocation:publish",
            "Not yet started" if ready else "Cannot start yet",
        ),
    ]


@staff_view
def version_detail(request, pk):
    version = get_version(request, pk)
    definition = version.parsed
    return render(
        request,
        "allocation/version.html",
        {
            "version": version,
            "definition": definition,
            "manages": manages_ras(request.user),
            "tasks": _tasks(version) if version.is_draft else None,
            "problems": ras.publication_problems(definition),
            "model_run": version.latest_model_run(completed=False),
            "calibrations": version.calibration_runs.order_by("-created_at")[:5],
            "question_count": len(definition.questions),
            "max_points": sum(
                max((o.points for o in q.options), default=0) for q in definition.questions
            ),
        },
    )


@staff_view
def version_export(request, pk):
    version = get_version(request, pk)
    response = HttpResponse(
        json.dumps(ras.to_dict(version.parsed), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ras-{version.scheme.kind}-v{version.number}.json"'
    )
    return response


@manager_view
def version_copy(request, pk):
    version = get_version(request, pk)
    form = CopyForm(request.POST or None, initial={"label": f"Copy of v{version.number}"})
    if request.method == "POST" and form.is_valid():
        draft = version.copy_as_draft(request.user, label=form.cleaned_data["label"])
        messages.success(
            request, f"Draft version {draft.number} made from version {version.number}"
        )
        return redirect("allocation:version", pk=draft.pk)
    return render(request, "allocation/copy.html", {"version": version, "form": form})


@manager_view
def version_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft = RasVersion.new_draft(
            form.cleaned_data["scheme"],
            request.user,
            definition=form.cleaned_data["file"],
            label=form.cleaned_data["label"],
            origin=RasVersion.Origin.IMPORTED,
        )
        messages.success(request, f"Imported as draft version {draft.number}")
        return redirect("allocation:version", pk=draft.pk)
    return render(request, "allocation/import.html", {"form": form})


@manager_view
def publish(request, pk):
    version = get_version(request, pk, draft=True)
    form = PublishForm(request.POST or None)
    problems = version.publication_problems(None)
    problems = [p for p in problems if not p.startswith("Enter the date")]
    if request.method == "POST" and form.is_valid():
        try:
            version.publish(request.user, form.cleaned_data["effective_from"])
        except PublishError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"{version} is live from {version.effective_from:%-d %B %Y}")
            return redirect("allocation:version", pk=version.pk)
    return render(
        request,
        "allocation/publish.html",
        {
            "version": version,
            "form": form,
            "problems": problems,
            "model_run": version.latest_model_run(),
        },
    )


@manager_view
@require_POST
def delete_draft(request, pk):
    version = get_version(request, pk, draft=True)
    if (
        version.assessments.exists()
        or version.model_runs.exists()
        or version.calibration_runs.exists()
    ):
        messages.info(request, "This draft has runs or assessments, so it is kept for the record")
        return redirect("allocation:version", pk=version.pk)
    version.delete()
    messages.success(request, "The draft has been deleted")
    return redirect("allocation:schemes")
