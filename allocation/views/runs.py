"""Calibration and model runs: start one, watch its progress, read and download its results.

The work runs in a background worker; these pages only queue it and show where it is,
so a commissioner can leave and come back.
"""

import csv
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import AccessEvent
from budgets.models import PersonalBudget
from people import access

from .. import charts, tasks
from ..forms import CalibrationForm, ModelRunForm
from ..models import CalibrationRun, ModelRun
from .common import get_version, manager_view

DEFAULT_RESERVE = Decimal("5")


def _default_envelope() -> Decimal:
    """Today's annual spend on budgets, as a starting point for the envelope."""
    weekly = PersonalBudget.objects.current().aggregate(total=Sum("weekly_amount"))[
        "total"
    ] or Decimal("0")
    return (weekly * 52).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@manager_view
def model(request, pk):
    version = get_version(request, pk)
    last = version.model_runs.order_by("-created_at").first()
    initial = {
        "envelope": last.envelope if last else _default_envelope(),
        "reserve_percent": last.reserve_percent if last else DEFAULT_RESERVE,
        "review_fall_percent": last.review_fall_percent if last else Decimal("10"),
    }
    form = ModelRunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            run = ModelRun.objects.create(
                version=version, created_by=request.user, **form.cleaned_data
            )
            tasks.enqueue(run)
        return redirect("allocation:model-run", pk=run.pk)
    runs = version.model_runs.order_by("-created_at")[:10]
    return render(
        request, "allocation/model.html", {"version": version, "form": form, "runs": runs}
    )


@manager_view
def calibrate(request, pk):
    version = get_version(request, pk)
    initial = {
        "envelope": _default_envelope(),
        "reserve_percent": DEFAULT_RESERVE,
        "method": "ols",
        "source": "database",
        "band_count": 10,
    }
    form = CalibrationForm(
        request.POST or None, request.FILES or None, version=version, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            run = CalibrationRun.objects.create(
                version=version,
                created_by=request.user,
                source=data["source"],
                method=data["method"],
                band_count=data["band_count"],
                envelope=data["envelope"],
                reserve_percent=data["reserve_percent"],
                sample=data.get("sample"),
                sample_name=data["file"].name if data.get("file") else "",
            )
            tasks.enqueue(run)
        return redirect("allocation:calibration", pk=run.pk)
    runs = version.calibration_runs.order_by("-created_at")[:10]
    return render(
        request, "allocation/calibrate.html", {"version": version, "form": form, "runs": runs}
    )


def _run(request, model_, pk):
    run = get_object_or_404(model_.objects.select_related("version__scheme", "created_by"), pk=pk)
    get_version(request, run.version_id)
    return run


@manager_view
def progress(request, kind, pk):
    """The progress bar alone, polled by the page; when the run ends it asks for a reload."""
    run = _run(request, ModelRun if kind == "model" else CalibrationRun, pk)
    response = render(request, "allocation/_progress.html", {"run": run, "kind": kind})
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


@manager_view
def model_run(request, pk):
    run = _run(request, ModelRun, pk)
    download = request.GET.get("download")
    if download and run.status == run.Status.DONE:
        return _model_download(request, run, download)
    result = run.result or {}
    review = run.review or []
    if review and request.GET.get("show") == "review":
        # The review list names people by their council ID: that is a read of their records.
        _log_review(request, run, review[:200])
    return render(
        request,
        "allocation/model_run.html",
        {
            "run": run,
            "version": run.version,
            "result": result,
            "summary": result.get("summary", {}),
            "review": review[:200] if request.GET.get("show") == "review" else None,
            "review_count": len(review),
            "distribution_chart": charts.bar_chart(result.get("distribution", []), label="People")
            if result
            else "",
        },
    )


def _log_review(request, run, rows) -> None:
    access.log_listing(
        request.user,
        [row["person_id"] for row in rows],
        via="allocation:model-run",
        purpose=AccessEvent.Purpose.MODELLING,
        reason=f"RAS model run {run.pk}: review list",
    )


def _model_download(request, run, what) -> HttpResponse:
    result = run.result
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    if what == "breakdown":
        writer.writerow(
            [
                "Group",
                "Value",
                "People",
                "Share of people",
                "Current total (£)",
                "Proposed total (£)",
                "Gain",
                "Gain share",
                "Lose",
                "Lose share",
                "Mean change (£)",
                "Mean change (%)",
            ]
        )
        for group, rows in result["groups"].items():
            for row in rows:
                writer.writerow(
                    [
                        group,
                        row["label"],
                        row["people"],
                        row["share"],
                        row["current_total"],
                        row["proposed_total"],
                        row["gainers"],
                        row["gainer_share"],
                        row["losers"],
                        row["loser_share"],
                        row["mean_change"],
                        row["mean_change_percent"],
                    ]
                )
    elif what == "distribution":
        writer.writerow(["Change", "People"])
        for row in result["distribution"]:
            writer.writerow([row["label"], row["people"]])
    elif what == "review":
        _log_review(request, run, run.review or [])
        writer.writerow(["Council person ID", "Team", "Current (£)", "Proposed (£)", "Change (%)"])
        for row in run.review or []:
            writer.writerow(
                [row["ref"], row["team"], row["current"], row["proposed"], row["change_percent"]]
            )
    elif what == "chart":
        svg = charts.bar_chart(result["distribution"], label="People")
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="model-run-{run.pk}-changes.svg"'
        return response
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="model-run-{run.pk}-{what}.csv"'
    return response


@manager_view
def calibration(request, pk):
    run = _run(request, CalibrationRun, pk)
    result = run.result or {}
    chart = ""
    if result.get("chart"):
        chart = charts.scatter_chart(
            result["chart"]["scatter"],
            result["chart"]["line"],
            x_label="Points",
            y_label="Weekly cost (£)",
        )
    return render(
        request,
        "allocation/calibration.html",
        {
            "run": run,
            "version": run.version,
            "result": result,
            "chart": chart,
            "progress_url": reverse("allocation:progress", args=["calibration", run.pk]),
        },
    )
