"""Pages for the links between records: caring relationships, and finding a representative."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from core.rules import BusinessRuleViolation

from . import actions
from .forms import CaringRelationshipForm, EndCaringForm, PersonForm
from .models import CaringRelationship
from .views import open_or_refuse, staff_only


def _changeable(request, pk):
    person, may_change, refusal = open_or_refuse(request, pk)
    if refusal:
        return None, refusal
    if not may_change:
        raise Http404
    return person, None


@staff_only
def caring_add(request, pk):
    """Record that this person cares for someone, or that someone cares for them."""
    person, refusal = _changeable(request, pk)
    if refusal:
        return refusal
    form = CaringRelationshipForm(request.POST or None, person=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        carer, cared_for = form.pair()
        try:
            actions.record_caring_relationship(
                carer, cared_for, form.cleaned_data["started"], acting_user=request.user
            )
        except BusinessRuleViolation as error:
            for problem in error.problems:
                form.add_error(None, problem.message)
        else:
            messages.success(
                request, f"{carer.full_name} is recorded as caring for {cared_for.full_name}"
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/caring_form.html", {"person": person, "form": form})


@staff_only
def caring_end(request, pk, link_pk):
    """Record the day a carer stopped caring (the link stays on both records)."""
    person, refusal = _changeable(request, pk)
    if refusal:
        return refusal
    link = get_object_or_404(
        CaringRelationship.objects.visible_to(request.user).select_related("carer", "cared_for"),
        pk=link_pk,
        ended__isnull=True,
    )
    if person.pk not in (link.carer_id, link.cared_for_id):
        raise Http404
    form = EndCaringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_caring_relationship(
                link, form.cleaned_data["ended"], acting_user=request.user
            )
        except BusinessRuleViolation as error:
            for problem in error.problems:
                form.add_error("ended", problem.message)
        else:
            messages.success(request, "The caring relationship has been ended")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/caring_end.html", {"person": person, "link": link, "form": form})


@staff_only
@require_GET
def representatives(request):
    """The representative choices for what has been typed so far (htmx, as you type)."""
    if not request.user.has_perm("people.add_person"):
        raise Http404
    form = PersonForm(request.GET, user=request.user)
    form.searching()
    return render(
        request,
        "people/_representative_options.html",
        {"offer": form.representative_offer, "field": form["representative"]},
    )
