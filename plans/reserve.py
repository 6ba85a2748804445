"""The reserve's pages: each financial year's reserve (opening, drawn, balance) and every draw
on it, for commissioners, approvers and administrators; a commissioner sets a year's reserve.

Each draw names the person by their council ID only; those shown are written to the access
log (purpose: the reserve), as any list of people is.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import AccessEvent
from budgets import actions as budget_actions
from budgets.models import Reserve, ReserveDraw
from core.actions import ActionError
from core.dates import financial_year
from core.http import page_name
from core.money import to_pence
from core.permissions import is_record_id
from people import access

from .forms import ReserveForm

DRAWS_PER_PAGE = 50


def _may_view(user):
    if not user.has_perm("plans.view_reserve"):
        raise Http404


@login_required
def reserves(request):
    _may_view(request.user)
    may_set = request.user.has_perm("plans.set_reserve")
    label, _start, _end = financial_year(timezone.localdate())
    form = ReserveForm(request.POST or None, initial={"financial_year": label}) if may_set else None
    if may_set and request.method == "POST" and form.is_valid():
        year = form.cleaned_data["financial_year"]
        starts_on = dt.date(int(year[:4]), 4, 1)
        _label, starts_on, ends_on = financial_year(starts_on)
        try:
            budget_actions.open_reserve(
                acting_user=request.user,
                financial_year_label=year,
                starts_on=starts_on,
                ends_on=ends_on,
                opening_pence=to_pence(form.cleaned_data["opening"]),
                source=form.cleaned_data["source"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The reserve for {year} is set")
            return redirect("plans:reserves")
    years = list(
        Reserve.objects.visible_to(request.user)
        .annotate(drawn=Sum("draws__amount_pence"))
        .order_by("-starts_on")
    )
    for year in years:
        year.drawn = year.drawn or 0
        year.balance = year.opening_pence - year.drawn
    return render(
        request,
        "plans/reserves.html",
        {"years": years, "form": form, "may_set": may_set, "current_label": label},
    )


@login_required
def reserve_detail(request, pk):
    _may_view(request.user)
    reserve = (
        Reserve.objects.visible_to(request.user).filter(pk=pk).first() if is_record_id(pk) else None
    )
    if reserve is None:
        raise Http404
    draws = ReserveDraw.objects.filter(reserve=reserve)
    summary = draws.aggregate(drawn=Sum("amount_pence"))
    drawn = summary["drawn"] or 0
    page = Paginator(
        draws.select_related("drawn_by")
        .only(
            "id",
            "kind",
            "amount_pence",
            "reason",
            "override_reason",
            "drawn_at",
            "person_id",
            "person__council_person_id",
            "drawn_by__first_name",
            "drawn_by__last_name",
            "drawn_by__username",
        )
        .select_related("person")
        .order_by("-drawn_at", "-id"),
        DRAWS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    access.log_listing(
        request.user,
        [draw.person_id for draw in page.object_list],
        via=page_name(request),
        purpose=AccessEvent.Purpose.FUNDING,
    )
    return render(
        request,
        "plans/reserve.html",
        {
            "reserve": reserve,
            "drawn": drawn,
            "balance": reserve.opening_pence - drawn,
            "page": page,
        },
    )
