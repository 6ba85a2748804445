"""The council's reference rates: the table in force, its history, and adding a rate."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from core.money import format_pence, to_pence
from core.rules import BusinessRuleViolation
from ui.forms import add_refusal

from .. import actions
from ..domain import rates as catalogue
from ..forms import ReferenceRateForm
from ..models import ReferenceRate
from .common import manager_view, manages_ras, staff_view


def _on(request) -> tuple[dt.date, str]:
    """The date asked for (?on=YYYY-MM-DD), or today; and a problem, if it was not a date."""
    text = request.GET.get("on", "")
    if text:
        try:
            return dt.date.fromisoformat(text), ""
        except ValueError:
            return timezone.localdate(), "Enter the date as year-month-day, for example 2027-04-01"
    return timezone.localdate(), ""


@staff_view
def reference_rates(request):
    on, problem = _on(request)
    rates = ReferenceRate.objects.visible_to(request.user)
    in_force = {rate.service: rate for rate in rates.on(on)}
    table = [(service, in_force.get(service.code)) for service in catalogue.SERVICES]
    history = rates.select_related("created_by").order_by("service", "-effective_from")
    return render(
        request,
        "allocation/reference_rates.html",
        {
            "on": on,
            "today": timezone.localdate(),
            "problem": problem,
            "table": table,
            "history": history,
            "manages": manages_ras(request.user),
        },
    )


@manager_view
def reference_rate_add(request):
    initial = {"service": request.GET.get("service", "")}
    form = ReferenceRateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate = actions.add_reference_rate(
                data["service"],
                acting_user=request.user,
                rate_pence=to_pence(data["rate"]),
                effective_from=data["effective_from"],
                notes=data["notes"],
            )
        except BusinessRuleViolation as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request,
                f"{rate.label}: {format_pence(rate.rate_pence)} {rate.per} "
                f"from {rate.effective_from:%-d %B %Y}",
            )
            return redirect("allocation:reference-rates")
    return render(request, "allocation/reference_rate_add.html", {"form": form})
