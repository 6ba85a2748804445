"""Pages for staff: the caseload, a person's record, its history and its access log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import AccessEvent
from core.actions import ActionError
from core.concurrency import EditConflict
from core.http import page_name

from . import access, actions
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


@staff_only
def caseload(request):
    """The team's caseload (or, for staff without one, the records they have opened)."""
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    people = Person.objects.visible_to(request.user).matching(**filters).select_related("team")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    access.log_listing(request.user, page.object_list, via=page_name(request))
    return render(
        request,
        "people/caseload.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "holds_caseload": request.user.holds_caseload,
        },
    )


@staff_only
def person_detail(request, pk):
    person, may_change, refusal = open_or_refuse(request, pk)
    if refusal:
        return refusal
    context = {
        "person": person,
        "may_change": may_change,
        "tab": "details",
        "budget": person.budgets.current().first(),
        "assessment": person.assessments.select_related("allocation", "eligibility").first(),
    }
    return render(request, "people/person_detail.html", context)


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
