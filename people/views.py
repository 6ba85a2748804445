"""Pages for staff: the caseload, a person's record, its history and its access log."""

import functools
from collections import namedtuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.views.decorators.http import require_POST
from markupsafe import Markup

from accounts.models import AccessEvent, Team
from allocation.models import Allocation
from assessment.models import Assessment
from budgets.models import PersonalBudget
from core.actions import ActionError
from core.concurrency import EditConflict
from core.http import page_name
from core.rows import first_row

from . import access, actions, paging
from .forms import BreakGlassForm, CaseloadFilterForm, FindPersonForm, PersonForm
from .history import history_entries
from .models import Person
from .templatetags.caseload import caseload_rows

PAGE_SIZE = 25


def staff_only(view):
    """Council staff only; anyone else gets the same 404 as a missing page."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_council_staff:
            if "pk" in kwargs:  # an attempt on someone's record: refused, and logged
                access.log_denied(request.user, kwargs["pk"], via=page_name(request))
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


def open_or_refuse(request, pk, **kwargs):
    """The one guard for a person's page: (person, may_change, refusal).

    Opens the record (logged), or gives staff the break-glass page (a 404 that names
    nobody) and everyone else a plain 404.
    """
    try:
        person = access.open_person(request.user, pk, via=page_name(request), **kwargs)
    except access.NotVisible:
        if request.user.is_council_staff:
            return None, False, _break_glass_page(request, pk)
        raise Http404 from None
    return person, request.user.has_perm("people.change_person", person), None


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


class CaseloadRow(namedtuple("CaseloadRow", CASELOAD_COLUMNS)):
    """One person on a caseload page: what the row shows, read as plain values. Made into
    Person instances (only() and from_db), a page's 26 rows cost ~0.4 ms more Python."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id


@staff_only
def caseload(request):
    """The team's caseload (or, for staff without one, the records they have opened).

    Paged by keyset (`?after=<id>` / `?before=<id>`), so a deep page is as fast as the first;
    the count is exact for the whole caseload and capped at 1,000 for a search.
    """
    # Only the filters' own fields make a search: a page cursor alone (?after=…) is the whole
    # caseload, with nothing to validate.
    searching = any(name in request.GET for name in CaseloadFilterForm.base_fields)
    form = CaseloadFilterForm(request.GET) if searching else None
    filters = form.filters() if searching else {}
    people = Person.objects.visible_to(request.user).matching(**filters)
    # A name of 3 letters or more is found by its trigrams; shorter ones match so many
    # people that walking the caseload in order finds a page soonest.
    walk_index = not any(len(word) >= 3 for word in filters.get("name", "").split())
    page = paging.keyset_page(
        people.values_list(*CASELOAD_COLUMNS),
        make=CaseloadRow._make,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        walk_index=walk_index,
        # A search by name finds all its matches to sort them: its first page counts them too.
        total=bool(filters) and not walk_index,
    )
    # A team's caseload changes slowly: its count may be a minute old. Records opened with a
    # reason come and go with each grant, so those lists are counted every time (they are short).
    scope = repr((request.user.pk, request.user.team_id, sorted(filters.items())))
    cap = paging.COUNT_CAP if filters else None
    seconds = paging.COUNT_SECONDS if request.user.holds_caseload else 0
    if not page.has_other_pages:
        # Everyone there is fits on this page: that is the count, with no query.
        count = paging.Count(len(page.object_list), exact=True)
    elif page.total is not None:
        count = paging.remember_count(scope, page.total, cap=cap, seconds=seconds)
    else:
        count = paging.cheap_count(people, scope, cap=cap, seconds=seconds)
    access.log_listing(request.user, page.object_list, via=page_name(request))
    if form is not None and not filters and not form.errors:
        form = None  # nothing to show in the filters: the blank ones
    return render(
        request,
        "people/caseload.html",
        {
            "form": form,
            "blank_filters": _blank_filters(get_script_prefix(), get_urlconf())
            if form is None
            else "",
            "page": page,
            "rows": caseload_rows(page.object_list),
            "count": count,
            "filtered": bool(filters),
            "holds_caseload": request.user.holds_caseload,
            "team_name": _team_name(request.user.team_id),
        },
        using="jinja2",
    )


@functools.cache
def _blank_filters(script_prefix: str, urlconf) -> str:
    """The caseload's filters with nothing chosen: the same for everyone, so drawn once per
    process (per URL prefix and configuration, as its form's address depends on them)."""
    return Markup(  # noqa: S704 - drawn, and escaped, by the template
        render_to_string(
            "people/_caseload_filters.html",
            {"form": CaseloadFilterForm(), "filtered": False},
            using="jinja2",
        )
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
    # Nothing joined: the team is shown by its name, remembered for a few minutes (joining it
    # cost ~0.2 ms of Python a page, compiling the join); a representative (about one person
    # in ten has one) is read when shown.
    person, may_change, refusal = open_or_refuse(request, pk, queryset=Person.objects.all())
    if refusal:
        return refusal
    # Only what "Support now" shows: the answers and explanation lines stay in the database.
    # Each is read by one plain statement (core.rows): built by the ORM, these two reads cost
    # more Python than drawing the page.
    context = {
        "person": person,
        "team_name": _team_name(person.team_id),
        "may_change": may_change,
        "tab": "details",
        "budget": first_row(
            PersonalBudget,
            fields=BUDGET_SHOWN,
            equal={"person": person.pk, "status": PersonalBudget.Status.ACTIVE.value},
            order=tuple(PersonalBudget._meta.ordering),
        ),
    }
    context["assessment"], context["allocation"] = _latest_assessment(person)
    return render(request, "people/person_detail.html", context, using="jinja2")


BUDGET_SHOWN = (
    "id",
    "person",
    "kind",
    "amount_pence",
    "period",
    "start_date",
    "status",
    "review_flagged_at",
    "review_reason",
)


def _latest_assessment(person):
    """The person's latest assessment and its allocation (either may be None), for "Support
    now"."""
    assessment = first_row(
        Assessment,
        fields=("id", "person", "status", "started_at"),
        equal={"person": person.pk},
        order=tuple(Assessment._meta.ordering),
    )
    if assessment is None:
        return None, None
    allocation = first_row(
        Allocation,
        fields=("id", "assessment", "amount_pence", "period", "status"),
        equal={"assessment": assessment.pk},
    )
    # As select_related would leave it: the reverse one-to-one known, present or not.
    Assessment.allocation.related.set_cached_value(assessment, allocation)
    return assessment, allocation


@staff_only
def person_create(request):
    if not request.user.has_perm("people.add_person"):
        raise Http404
    form = PersonForm(
        request.POST or None, user=request.user, initial={"team": request.user.team_id}
    )
    searching = _searching(request, form)
    if request.method == "POST" and not searching and form.is_valid():
        person = actions.create_person(form.values(), acting_user=request.user)
        messages.success(request, f"{person.full_name} has been added")
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "creating": True, "searching": searching},
    )


def _searching(request, form) -> bool:
    """The representative Search button was pressed: show the form again, save nothing."""
    if request.method == "POST" and "find_representative" in request.POST:
        form.searching()
        return True
    return False


@staff_only
def person_edit(request, pk):
    person, may_change, refusal = open_or_refuse(request, pk)
    if refusal:
        return refusal
    if not may_change:
        raise Http404
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    conflict = None
    searching = _searching(request, form)
    if request.method == "POST" and not searching and form.is_valid():
        try:
            changed = actions.update_person(
                person,
                form.values(),
                acting_user=request.user,
                expected_version=form.cleaned_data.get("edit_version"),
            )
        except EditConflict as error:
            conflict = error
            form.refresh_version(error.record.edit_version)
        else:
            if changed:
                messages.success(request, "The record has been updated")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "creating": False,
            "conflict": conflict,
            "searching": searching,
        },
        status=409 if conflict else 200,
    )


@staff_only
def person_history(request, pk):
    person, _may_change, refusal = open_or_refuse(request, pk)
    if refusal:
        return refusal
    return render(
        request,
        "people/person_history.html",
        {"person": person, "entries": history_entries(person), "tab": "history"},
    )


@staff_only
def person_access_log(request, pk):
    person, _may_change, refusal = open_or_refuse(request, pk)
    if refusal:
        return refusal
    events = (
        AccessEvent.objects.visible_to(request.user).filter(person=person).select_related("user")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_access_log.html",
        {"person": person, "page": page, "tab": "access", "staff_view": True},
    )


@staff_only
@require_POST
def person_break_glass(request, pk):
    form = BreakGlassForm(request.POST)
    if not form.is_valid():
        return _break_glass_page(request, pk, form)
    reason = form.cleaned_data["reason"]
    person = Person.objects.filter(pk=pk).first() if access.is_record_id(pk) else None
    if person is None:
        access.log_denied(request.user, pk, via=page_name(request), reason=reason)
        raise Http404
    actions.break_glass(person, reason, acting_user=request.user, via=page_name(request))
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
        person = Person.objects.filter(**lookup).first()
        if len(reason) < 10:
            form.add_error(
                "reason",
                "This person is not on your caseload. Enter why you need to open their record (at least 10 characters)",
            )
        elif person is None:
            access.log_denied(
                request.user, form.cleaned_data["identifier"], via=page_name(request), reason=reason
            )
            form.add_error("identifier", "No person has this NHS number or council person ID")
        else:
            try:
                actions.break_glass(
                    person, reason, acting_user=request.user, via=page_name(request)
                )
            except ActionError as error:
                form.add_error("reason", error.message)
            else:
                return redirect("people:detail", pk=person.pk)
    return render(request, "people/find.html", {"form": form})
