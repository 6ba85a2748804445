"""Calibration and model runs: start one, watch its progress, read and download its results.

The work runs in a background worker; these pages only queue it and show where it is,
so a commissioner can leave and come back.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import AccessEvent
from budgets.models import PersonalBudget
from core.csv import csv_response
from core.money import annual_multiplier, from_pence
from people import access

from .. import actions, charts, rules, services
from ..forms import CalibrationForm, ModelRunForm
from ..models import CalibrationRun, ModelRun
from . import equality
from .common import get_run, get_version, manager_view

DEFAULT_RESERVE = Decimal("5")


def _default_envelope(period: str = "week") -> Decimal:
    """Today's annual spend on budgets for the version's period (weekly ones × 52, yearly
    and one-off ones as they are), as a starting point for the envelope: like with like, as
    the model run compares (services._baseline)."""
    total = (
        PersonalBudget.objects.current()
        .filter(period=period)
        .aggregate(total=Sum("amount_pence"))["total"]
        or 0
    )
    return (from_pence(total) * annual_multiplier(period)).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )


@manager_view
def model(request, pk):
    version, _ = get_version(request, pk)
    last = version.model_runs.order_by("-created_at").first()
    initial = {
        "envelope": last.envelope if last else _default_envelope(version.parsed.period),
        "reserve_percent": last.reserve_percent if last else DEFAULT_RESERVE,
        "review_fall_percent": last.review_fall_percent if last else Decimal("10"),
        "flag_margin_percent": last.flag_margin_percent if last else Decimal("5"),
    }
    form = ModelRunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        run = actions.start_model_run(version, acting_user=request.user, **form.cleaned_data)
        return redirect("allocation:model-run", pk=run.pk)
    runs = version.model_runs.order_by("-created_at")[:10]
    return render(
        request, "allocation/model.html", {"version": version, "form": form, "runs": runs}
    )


@manager_view
def calibrate(request, pk):
    version, _ = get_version(request, pk)
    refusals = rules.calibration_problems(version)
    if refusals:
        # Nothing to fill in: say why calibration cannot fit this version (no form, no button).
        return render(
            request, "allocation/calibrate.html", {"version": version, "refusals": refusals}
        )
    initial = {
        "envelope": _default_envelope(version.parsed.period),
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
        run = actions.start_calibration(
            version,
            acting_user=request.user,
            source=data["source"],
            method=data["method"],
            band_count=data["band_count"],
            envelope=data["envelope"],
            reserve_percent=data["reserve_percent"],
            sample=data.get("sample"),
            sample_name=data["file"].name if data.get("file") else "",
        )
        return redirect("allocation:calibration", pk=run.pk)
    runs = version.calibration_runs.order_by("-created_at")[:10]
    return render(
        request, "allocation/calibrate.html", {"version": version, "form": form, "runs": runs}
    )


@manager_view
def progress(request, kind, pk):
    """The progress bar alone, polled by the page; when the run ends it asks for a reload."""
    if kind not in ("model", "calibration"):
        raise Http404
    run = get_run(request, ModelRun if kind == "model" else CalibrationRun, pk)
    response = render(request, "allocation/_progress.html", {"run": run, "kind": kind})
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


@manager_view
def model_run(request, pk):
    run = get_run(request, ModelRun, pk)
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
            **(equality.sections(run) if run.status == run.Status.DONE else {}),
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
    name = f"model-run-{run.pk}-{what}.csv"
    if what == "breakdown":
        return csv_response(name, services.BREAKDOWN_HEADER, services.breakdown_rows(result))
    if what == "distribution":
        return csv_response(
            name, ["Change", "People"], ([r["label"], r["people"]] for r in result["distribution"])
        )
    if what == "review":
        _log_review(request, run, run.review or [])
        return csv_response(
            name,
            ["Council person ID", "Team", "Current (£)", "Proposed (£)", "Change (%)"],
            (
                [
                    r["ref"],
                    r["team"],
                    Decimal(r["current"]),
                    Decimal(r["proposed"]),
                    r["change_percent"],
                ]
                for r in run.review or []
            ),
        )
    if what == "chart":
        svg = charts.bar_chart(result["distribution"], label="People")
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="model-run-{run.pk}-changes.svg"'
        return response
    raise Http404


@manager_view
def calibration(request, pk):
    run = get_run(request, CalibrationRun, pk)
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
