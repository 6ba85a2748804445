"""A person's budget explained: for staff, the person and their representative, and as CSV."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from core.csv import csv_response
from core.http import page_name
from people import access

from . import explained as explain
from .models import PersonalBudget


def current_budget(person):
    """The person's own budget now: the active one, else the one proposed."""
    budgets = PersonalBudget.objects.filter(person=person, kind=PersonalBudget.Kind.PERSON)
    return (
        budgets.current().select_related("allocation__version__scheme").first()
        or budgets.filter(status=PersonalBudget.Status.PROPOSED)
        .select_related("allocation__version__scheme")
        .first()
    )


def render_explained(request, x: explain.Explained, *, back: str, filename: str):
    if request.GET.get("format") == "csv":
        return csv_response(
            filename,
            ["What", "Detail", "Points", "Amount (£)"],
            [
                [
                    line.heading,
                    line.detail,
                    line.points,
                    Decimal(line.amount_pence).scaleb(-2) if line.amount_pence is not None else "",
                ]
                for line in x.lines
            ]
            + [
                [
                    "Total",
                    x.amount_text,
                    x.total_points,
                    "" if x.amount_pence is None else Decimal(x.amount_pence).scaleb(-2),
                ]
            ],
        )
    return render(
        request,
        "budgets/explained.html",
        {
            "x": x,
            "back": back,
            "not_counted": [line for line in x.lines if line.kind == "not_counted"],
            "challenge_url": explain.challenge_url(x, request.user),
        },
    )


@login_required
def budget_explained(request, pk):
    """A person's current budget explained (staff from the record; the person and their
    representative from the portal). Every reader is refused the same way: a 404."""
    try:
        person = access.open_person(request.user, pk, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    budget = current_budget(person)
    if budget is None:
        raise Http404
    x = explain.for_budget(budget, user=request.user)
    back = (
        reverse("people:detail", args=[person.pk])
        if request.user.is_council_staff
        else reverse("people:portal-person", args=[person.pk])
    )
    return render_explained(
        request, x, back=back, filename=f"budget-explained-{person.council_person_id}.csv"
    )
