"""Listing versions, reading one, copying, exporting, importing and publishing."""

import datetime as dt
import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from core.actions import ActionError
from core.rules import BusinessRuleViolation

from .. import actions, rules
from ..domain import definition as ras
from ..forms import CopyForm, ImportForm, PublishConfirmForm, PublishForm
from ..models import RasScheme, RasVersion
from .common import get_version, manager_view, manages_ras, staff_view


@staff_view
def schemes(request):
    versions = (
        RasVersion.objects.visible_to(request.user)
        .select_related("scheme")
        .order_by("scheme__kind", "-number")
    )
    grouped = [
        (scheme, [v for v in versions if v.scheme_id == scheme.pk])
        for scheme in RasScheme.objects.visible_to(request.user)
    ]
    return render(
        request,
        "allocation/schemes.html",
        {"grouped": grouped, "manages": manages_ras(request.user)},
    )


def _tasks(version):
    """The builder's task list with each task's status, read from the rules' codes."""
    definition = version.parsed
    codes = {problem.code for problem in rules.definition_problems(version)}
    questions_ok = bool(definition.questions) and not codes & rules.QUESTION_CODES
    allocation_ok = not codes & rules.ALLOCATION_CODES
    modelled = version.latest_model_run() is not None
    ready = questions_ok and allocation_ok and modelled
    return [
        ("Domains", "allocation:domains", "Completed" if definition.domains else "Not yet started"),
        (
            "Questions and answers",
            "allocation:questions",
            "Completed" if questions_ok else "Incomplete",
        ),
        ("Money tables", "allocation:money-tables", "Completed" if allocation_ok else "Incomplete"),
        ("Period and limits", "allocation:limits", "Completed"),
        (
            "Support from family and friends",
            "allocation:informal-support",
            "Incomplete" if codes & rules.INFORMAL_CODES else "Completed",
        ),
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
    version, may_change = get_version(request, pk)
    definition = version.parsed
    return render(
        request,
        "allocation/version.html",
        {
            "version": version,
            "definition": definition,
            "manages": manages_ras(request.user),
            "may_change": may_change,
            "tasks": _tasks(version) if version.is_draft else None,
            "problems": rules.definition_problems(version),
            "model_run": version.latest_model_run(completed=False),
            "calibrations": version.calibration_runs.order_by("-created_at")[:5],
            "calibration_refusals": rules.calibration_problems(version),
            "question_count": len(definition.questions),
            "max_points": version.compiled.max_net_points,  # domain caps included
        },
    )


@staff_view
def version_export(request, pk):
    version, _ = get_version(request, pk)
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
    version, _ = get_version(request, pk)
    form = CopyForm(request.POST or None, initial={"label": f"Copy of v{version.number}"})
    if request.method == "POST" and form.is_valid():
        draft = actions.copy_version(
            version, acting_user=request.user, label=form.cleaned_data["label"]
        )
        messages.success(
            request, f"Draft version {draft.number} made from version {version.number}"
        )
        return redirect("allocation:version", pk=draft.pk)
    return render(request, "allocation/copy.html", {"version": version, "form": form})


@manager_view
def version_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = actions.create_draft(
                form.cleaned_data["scheme"],
                form.cleaned_data["file"],
                acting_user=request.user,
                label=form.cleaned_data["label"],
                origin=RasVersion.Origin.IMPORTED,
                notes=" ".join(getattr(form, "conversion", ())),
            )
        except ActionError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"Imported as draft version {draft.number}")
            for note in getattr(form, "conversion", ()):
                messages.info(request, note)
            return redirect("allocation:version", pk=draft.pk)
    return render(request, "allocation/import.html", {"form": form})


@manager_view
def publish(request, pk):
    """Publish a draft in two steps: choose the date, then check what changes and confirm.

    A second person publishes (RAS-SAME-PERSON), and only once every group the model run
    flagged has a written justification (RAS-UNJUSTIFIED-GROUP)."""
    version, _ = get_version(request, pk, draft=True)
    problems = [
        p
        for p in rules.publication_problems(version, publisher=request.user)
        if p.code != "RAS-NO-START-DATE"
    ]
    form, confirm = PublishForm(), None
    if request.method == "POST":
        if request.POST.get("step") == "confirm" and not problems:
            confirm = PublishConfirmForm(request.POST)
            if confirm.is_valid():
                try:
                    actions.publish_version(
                        version, confirm.cleaned_data["effective_from"], acting_user=request.user
                    )
                except BusinessRuleViolation as error:
                    for problem in error.problems:
                        confirm.add_error(None, problem.message)
                else:
                    messages.success(
                        request, f"{version} is live from {version.effective_from:%-d %B %Y}"
                    )
                    return redirect("allocation:version", pk=version.pk)
        else:
            form = PublishForm(request.POST)
            if form.is_valid():
                date = form.cleaned_data["effective_from"]
                for problem in rules.publication_problems(version, date, publisher=request.user):
                    form.add_error("effective_from", problem.message)
                if form.is_valid():
                    confirm = PublishConfirmForm(initial={"effective_from": date})
    effective_from = None
    if confirm is not None:
        effective_from = confirm.initial.get("effective_from") or (
            confirm.cleaned_data.get("effective_from") if confirm.is_bound else None
        )
    model_run = version.latest_model_run()
    return render(
        request,
        "allocation/publish.html",
        {
            "version": version,
            "form": confirm if confirm is not None else form,
            "confirming": confirm is not None and effective_from is not None,
            "effective_from": effective_from,
            "stops_on": effective_from - dt.timedelta(days=1) if effective_from else None,
            "replaces": list(rules.versions_ending_on_or_after(version, effective_from))
            if effective_from
            else [],
            "problems": problems,
            "model_run": model_run,
            "flags": model_run.flags if model_run else [],
            "authors": User.objects.filter(pk__in=rules.authors(version)).order_by("pk"),
        },
    )


@manager_view
@require_POST
def delete_draft(request, pk):
    version, _ = get_version(request, pk, draft=True)
    try:
        actions.delete_draft(version, acting_user=request.user)
    except ActionError as error:
        messages.info(request, error.message)
        return redirect("allocation:version", pk=version.pk)
    messages.success(request, "The draft has been deleted")
    return redirect("allocation:schemes")
