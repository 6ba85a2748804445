"""The citizen portal: a person (or their representative) sees their record and who has looked at it."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.models import AccessEvent
from accounts.roles import Role

from . import access
from .models import Person


def current_budget(person):
    from budgets.views import current_budget as find

    return find(person)


def _access_events(request, person):
    """Who has opened the record: others' views by default (not the person's own, nor their
    representative's); lists and searches only when asked for."""
    events = (
        AccessEvent.objects.visible_to(request.user)
        .filter(person=person)
        .exclude(action=AccessEvent.Action.DENIED)
    )
    own = [pk for pk in (person.user_id, person.representative_id) if pk]
    if own:
        events = events.exclude(user_id__in=own)
    include_lists = request.GET.get("include") == "lists"
    if not include_lists:
        events = events.exclude(action__in=[AccessEvent.Action.LIST, AccessEvent.Action.API_LIST])
    page = Paginator(events.select_related("user", "user__team"), 25).get_page(
        request.GET.get("page")
    )
    return page, include_lists


@login_required
def portal(request):
    user = request.user
    if user.role in (Role.PERSON, Role.CARER):
        own = Person.objects.visible_to(user).values_list("pk", flat=True).first()
        if own is None:
            return render(request, "people/portal_no_record.html")
        return portal_person(request, own)
    if user.role == Role.REPRESENTATIVE:
        people = list(Person.objects.visible_to(user))
        access.log_listing(user, people, via="people:portal")
        if len(people) == 1:
            return redirect("people:portal-person", pk=people[0].pk)
        return render(request, "people/portal_represented.html", {"people": people})
    raise Http404


@login_required
def portal_person(request, pk):
    if request.user.role not in (Role.PERSON, Role.REPRESENTATIVE, Role.CARER):
        access.log_denied(request.user, pk, via="people:portal-person")
        raise Http404
    try:
        person = access.open_person(request.user, pk, via="people:portal-person")
    except access.NotVisible:
        raise Http404 from None
    page, include_lists = _access_events(request, person)
    kind = "carer" if request.user.role == Role.CARER else "person"
    assessments = list(
        person.assessments.filter(kind=kind).select_related(
            "version__scheme", "allocation", "eligibility"
        )[:5]
    )
    return render(
        request,
        "people/portal_person.html",
        {
            "person": person,
            "page": page,
            "include_lists": include_lists,
            "is_self": person.user_id == request.user.pk,
            "assessments": assessments,
            "budget": current_budget(person) if kind == "person" else None,
            "open_assessment": next((a for a in assessments if a.is_open), None),
            "assessment_kind": kind,
        },
    )
