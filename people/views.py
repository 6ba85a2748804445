"""Pages for staff: the caseload, a person's record, its history and its access log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import AccessEvent, Team

from . import access, paging
from .forms import BreakGlassForm, CaseloadFilterForm, FindPersonForm, PersonForm
from .history import history_entries
from .models import Person

PAGE_SIZE = 25


def staff_only(view):
    """Council staff only; anyone else gets the same 404 as a missing page."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_council_staff:
            if "pk" in kwargs:  # an attempt on someone's record: refused, and logged
                access.log_denied(request, request.user, kwargs["pk"])
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _break_glass_page(request, pk, form=None):
    """The 404 staff see outside their caseload: the same whether or not the record exists."""
    hours = int(settings.BREAK_GLASS_DURATION.total_seconds() // 3600)
    context = {"form": form or BreakGlassForm(), "pk": pk, "hours": hours}
    return render(request, "people/break_glass.html", context, status=404)


def _open_or_refuse(request, pk, **kwargs):
    """Open the record, or show staff the break-glass page (a 404 that names nobody)."""
    try:
        return access.open_person(request, request.user, pk, **kwargs), None
    except access.NotVisible:
        if request.user.is_council_staff:
            return None, _break_glass_page(request, pk)
        raise Http404 from None


# What a caseload row shows: fetched alone, so a page reads no more than it draws.
CASELOAD_COLUMNS = (
    "id",
    "last_name",
    "first_name",
    "nhs_number",
    "council_person_id",
    "date_of_birth",
    "date_of_death",
    "postcode",
    "primary_support_reason",
)


@staff_only
def caseload(request):
    """The team's caseload (or, for staff without one, the records they have opened).

    Paged by keyset (`?after=<id>` / `?before=<id>`), so a deep page is as fast as the first;
    the count is exact for the whole caseload and capped at 1,000 for a search.
    """
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    people = Person.objects.visible_to(request.user).matching(**filters)
    page = paging.keyset_page(
        people.only(*CASELOAD_COLUMNS),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        # A name of 3 letters or more is found by its trigrams; shorter ones match so many
        # people that walking the caseload in order finds a page soonest.
        walk_index=not any(len(word) >= 3 for word in filters.get("name", "").split()),
    )
    # A team's caseload changes slowly: its count may be a minute old. Records opened with a
    # reason come and go with each grant, so those lists are counted every time (they are short).
    scope = repr((request.user.pk, request.user.team_id, sorted(filters.items())))
    count = paging.cheap_count(
        people,
        scope,
        cap=paging.COUNT_CAP if filters else None,
        seconds=paging.COUNT_SECONDS if request.user.holds_caseload else 0,
    )
    access.log_listing(request, request.user, page.object_list)
    return render(
        request,
        "people/caseload.html",
        {
            "form": form,
            "page": page,
            "count": count,
            "filtered": bool(filters),
            "holds_caseload": request.user.holds_caseload,
            "team_name": _team_name(request.user.team_id),
        },
    )


def _team_name(team_id) -> str:
    """The team's name, remembered for five minutes (teams are renamed rarely, if ever)."""
    if team_id is None:
        return ""
    return cache.get_or_set(
        f"team-name:{team_id}",
        lambda: Team.objects.filter(pk=team_id).values_list("name", flat=True).first() or "",
        300,
    )


@staff_only
def person_detail(request, pk):
    person, refusal = _open_or_refuse(request, pk)
    if refusal:
        return refusal
    # Only what "Support now" shows: the answers and explanation lines stay in the database.
    context = {
        "person": person,
        "tab": "details",
        "budget": person.budgets.filter(status="active")
        .only("id", "person_id", "weekly_amount", "start_date")
        .first(),
        "assessment": person.assessments.select_related("allocation")
        .only("id", "person_id", "status", "started_at", "allocation__amount", "allocation__period")
        .first(),
    }
    return render(request, "people/person_detail.html", context)


@staff_only
def person_create(request):
    if not request.user.edits_records:
        raise Http404
    form = PersonForm(
        request.POST or None, user=request.user, initial={"team": request.user.team_id}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = form.save()
        messages.success(request, f"{person.full_name} has been added")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "creating": True})


@staff_only
def person_edit(request, pk):
    person, refusal = _open_or_refuse(request, pk)
    if refusal:
        return refusal
    if not request.user.edits_records:
        raise Http404
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.has_changed():
                form.save()
                messages.success(request, "The record has been updated")
        return redirect("people:detail", pk=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "creating": False}
    )


@staff_only
def person_history(request, pk):
    person, refusal = _open_or_refuse(request, pk)
    if refusal:
        return refusal
    return render(
        request,
        "people/person_history.html",
        {"person": person, "entries": history_entries(person), "tab": "history"},
    )


@staff_only
def person_access_log(request, pk):
    person, refusal = _open_or_refuse(request, pk)
    if refusal:
        return refusal
    events = AccessEvent.objects.filter(person=person).select_related("user")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "people/person_access_log.html", {"person": person, "page": page, "tab": "access"}
    )


@staff_only
@require_POST
def person_break_glass(request, pk):
    form = BreakGlassForm(request.POST)
    if not form.is_valid():
        return _break_glass_page(request, pk, form)
    person = Person.objects.filter(pk=pk).first() if access.is_record_id(pk) else None
    if person is None:
        access.log_denied(
            request, request.user, pk, purpose=f"Break-glass: {form.cleaned_data['reason']}"
        )
        raise Http404
    access.break_glass(request, request.user, person, form.cleaned_data["reason"])
    return redirect("people:detail", pk=person.pk)


@staff_only
def find_person(request):
    """Open a record by its NHS number or council ID, giving a reason when it is not on the caseload."""
    form = FindPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lookup = form.lookup()
        visible = Person.objects.visible_to(request.user).filter(**lookup).first()
        if visible:
            return redirect("people:detail", pk=visible.pk)
        reason = form.cleaned_data["reason"].strip()
        if len(reason) < 10:
            form.add_error(
                "reason",
                "This person is not on your caseload. Enter why you need to open their record (at least 10 characters)",
            )
        else:
            person = Person.objects.filter(**lookup).first()
            if person is None:
                access.log_denied(
                    request,
                    request.user,
                    form.cleaned_data["identifier"],
                    purpose=f"Break-glass: {reason}",
                )
                form.add_error("identifier", "No person has this NHS number or council person ID")
            else:
                access.break_glass(request, request.user, person, reason)
                return redirect("people:detail", pk=person.pk)
    return render(request, "people/find.html", {"form": form})
