"""Review and reablement pages for staff: the team's due and overdue reviews, a person's
reviews and reablement episodes, recording a review, and starting and ending reablement.

Every page opens the person's record through people.access (the read is logged; 404 if the
user may not see them); every write is an action (reviews/actions.py).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.actions import ActionError
from core.http import page_name
from core.permissions import is_record_id
from people import access
from people.views import open_or_refuse
from plans.models import PlanLine
from ui.forms import add_refusal

from . import actions, domain
from .forms import (
    AtHomeForm,
    CancelForm,
    CarersBudgetForm,
    EndReablementForm,
    ReablementForm,
    RecordReviewForm,
    UnplannedReviewForm,
)
from .models import ReablementEpisode, Review

PAGE_SIZE = 50
DUE_AHEAD_DAYS = 28


def _posted(request):
    return request.POST if request.method == "POST" else None


def _staff_only(request, pk=""):
    if not request.user.is_council_staff:
        access.log_denied(request.user, pk, via=page_name(request))
        raise Http404


def _after(value):
    """The keyset cursor `YYYY-MM-DD.id` of the last row of the page before, or None."""
    try:
        day, pk = (value or "").split(".")
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


@login_required
def due(request):
    """The team's reviews due in the next four weeks or overdue, soonest first, 50 a page
    (keyset on due date and id, so a page costs the same at any depth)."""
    if not request.user.has_perm("reviews.view_due") or request.user.team_id is None:
        raise Http404
    today = timezone.localdate()
    rows = Review.objects.due_for_team(
        request.user.team_id, by=today + dt.timedelta(days=DUE_AHEAD_DAYS)
    ).select_related("person")
    after = _after(request.GET.get("after"))
    if after:
        day, pk = after
        rows = rows.filter(Q(due_on__gt=day) | Q(due_on=day, id__gt=pk))
    page = list(rows[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    access.log_listing(request.user, [r.person for r in page], via=page_name(request))
    overdue = Review.objects.due_for_team(request.user.team_id, by=today - dt.timedelta(days=1))
    return render(
        request,
        "reviews/due.html",
        {
            "rows": page,
            "today": today,
            "overdue_count": overdue.count(),
            "next": f"{page[-1].due_on.isoformat()}.{page[-1].pk}" if more else None,
            "first_page": after is None,
        },
    )


@login_required
def person_reviews(request, person_pk):
    """A person's reviews and reablement episodes."""
    _staff_only(request, person_pk)
    person, _may_change, refusal = open_or_refuse(request, person_pk)
    if refusal:
        return refusal
    return render(
        request,
        "reviews/person.html",
        {
            "person": person,
            "tab": "reviews",
            "reviews": list(Review.objects.filter(person=person).order_by("-due_on", "-id")),
            "episodes": list(ReablementEpisode.objects.filter(person=person)),
            # Replacement care in the plans of people this person cares for, naming them.
            "replacement_care": list(
                PlanLine.objects.filter(
                    carer=person, plan__status__in=["approved", "active"]
                ).select_related("plan__person")
            ),
            "today": timezone.localdate(),
            "may_add": request.user.has_perm("reviews.add_review"),
        },
    )


@login_required
def unplanned(request, person_pk):
    _staff_only(request, person_pk)
    person, _may_change, refusal = open_or_refuse(request, person_pk)
    if refusal:
        return refusal
    if not request.user.has_perm("reviews.add_review"):
        raise Http404
    form = UnplannedReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = actions.schedule_review(
                person,
                acting_user=request.user,
                kind=Review.Kind.UNPLANNED,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The review has been scheduled")
            return redirect("reviews:review", pk=review.pk)
    return render(request, "reviews/unplanned.html", {"person": person, "form": form})


def _open_review(request, pk) -> Review:
    _staff_only(request, pk)
    review = (
        Review.objects.select_related("plan", "person").filter(pk=pk).first()
        if is_record_id(pk)
        else None
    )
    if review is None:
        access.log_denied(request.user, f"review {pk}", via=page_name(request))
        raise Http404
    try:
        review.person = access.open_person(request.user, review.person_id, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    return review


@login_required
def review_page(request, pk):
    """A review: start it, record it (outcomes, ASCOT, what changes), or see what it found."""
    review = _open_review(request, pk)
    may_change = request.user.has_perm("reviews.change_review", review)
    outcomes = actions.plan_outcomes(review)
    form = None
    if may_change and review.status == Review.Status.IN_PROGRESS:
        form = RecordReviewForm(_posted(request), outcomes=outcomes)
        if request.method == "POST" and form.is_valid():
            try:
                actions.complete_review(
                    review,
                    acting_user=request.user,
                    ratings=form.ratings(),
                    ascot=form.ascot(),
                    changes=form.cleaned_data["changes"],
                )
            except ActionError as refused:  # business rules included
                add_refusal(form, refused)
            else:
                messages.success(
                    request, "The review has been recorded, and the next one scheduled"
                )
                return redirect("reviews:review", pk=review.pk)
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "person": review.person,
            "form": form,
            "may_change": may_change,
            "found": list(review.outcomes.all()),
            "today": timezone.localdate(),
            "max_score": 3 * len(domain.ASCOT_DOMAINS),
        },
    )


@login_required
@require_POST
def start(request, pk):
    review = _open_review(request, pk)
    if not request.user.has_perm("reviews.change_review", review):
        raise Http404
    try:
        actions.start_review(review, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("reviews:review", pk=review.pk)


@login_required
def cancel(request, pk):
    review = _open_review(request, pk)
    if not request.user.has_perm("reviews.change_review", review):
        raise Http404
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_review(
                review, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The review has been cancelled")
            return redirect("reviews:person", person_pk=review.person_id)
    return render(
        request, "reviews/cancel.html", {"review": review, "person": review.person, "form": form}
    )


@login_required
@require_POST
def follow_up(request, pk, what):
    """Start a reassessment or a change to the plan from the review."""
    if what not in ("reassessment", "plan-change"):
        raise Http404
    review = _open_review(request, pk)
    if not request.user.has_perm("reviews.add_review"):
        raise Http404
    try:
        if what == "reassessment":
            assessment = actions.start_reassessment_from(review, acting_user=request.user)
            messages.success(request, "A reassessment has been started")
            return redirect(reverse("assessment:person-assessments", args=[assessment.person_id]))
        plan = actions.start_plan_change_from(review, acting_user=request.user)
        messages.success(request, "A new plan has been started")
        return redirect("plans:plan", pk=plan.pk)
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("reviews:review", pk=review.pk)


# --- Reablement ------------------------------------------------------------------------------


@login_required
def start_reablement(request, person_pk):
    _staff_only(request, person_pk)
    person, _may_change, refusal = open_or_refuse(request, person_pk)
    if refusal:
        return refusal
    if not request.user.has_perm("reviews.add_reablementepisode"):
        raise Http404
    form = ReablementForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode = actions.start_reablement(
                person,
                acting_user=request.user,
                starts_on=data["starts_on"],
                planned_end_on=data["planned_end_on"],
                longer_reason=data["longer_reason"],
                after_hospital=data["after_hospital"] == "yes",
                discharged_on=data["discharged_on"],
            )
        except ActionError as refused:  # business rules included
            add_refusal(form, refused)
        else:
            messages.success(request, "Reablement has been recorded")
            return redirect("reviews:reablement", pk=episode.pk)
    return render(request, "reviews/reablement_new.html", {"person": person, "form": form})


@login_required
def reablement(request, pk):
    """An episode: end it with its outcome, and (after hospital) whether they are still at
    home 91 days on."""
    _staff_only(request, pk)
    episode = ReablementEpisode.objects.filter(pk=pk).first() if is_record_id(pk) else None
    if episode is None:
        raise Http404
    try:
        person = access.open_person(request.user, episode.person_id, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    today = timezone.localdate()
    step = request.POST.get("step", "")
    end_form = at_home_form = None
    if request.user.has_perm("reviews.change_reablementepisode", episode):
        end_form = EndReablementForm(_posted(request) if step == "end" else None)
    due = episode.at_home_check_due
    if (
        episode.status == "ended"
        and due is not None
        and today >= due
        and request.user.has_perm("reviews.record_at_home")
    ):
        at_home_form = AtHomeForm(_posted(request) if step == "at_home" else None)
    if request.method == "POST":
        form = end_form if step == "end" else at_home_form
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if form is end_form:
                    actions.end_reablement(
                        episode,
                        acting_user=request.user,
                        ended_on=data["ended_on"],
                        outcome=data["outcome"],
                        detail=data["detail"],
                        longer_reason=data["longer_reason"],
                    )
                else:
                    actions.record_at_home(
                        episode, acting_user=request.user, at_home=data["at_home"] == "yes"
                    )
            except ActionError as refused:  # business rules included
                add_refusal(form, refused)
            else:
                messages.success(request, "Saved")
                return redirect("reviews:reablement", pk=episode.pk)
    return render(
        request,
        "reviews/reablement.html",
        {
            "episode": episode,
            "person": person,
            "end_form": end_form,
            "at_home_form": at_home_form,
            "form": at_home_form if step == "at_home" else end_form,
        },
    )


# --- A carer's budget ------------------------------------------------------------------------


@login_required
def carers_budget(request, person_pk):
    """Agree a carer's budget (yearly or one-off) from their eligible carer's assessment,
    through budgets.actions.agree_carers_budget."""
    from assessment.models import Assessment
    from budgets import actions as budget_actions
    from budgets.models import PersonalBudget
    from core.money import to_pence

    _staff_only(request, person_pk)
    person, _may_change, refusal = open_or_refuse(request, person_pk)
    if refusal:
        return refusal
    if not request.user.has_perm("reviews.add_review"):
        raise Http404
    assessment = (
        Assessment.objects.filter(
            person=person, kind="carer", status="completed", eligibility__eligible=True
        )
        .order_by("-completed_at", "-id")
        .first()
    )
    current = PersonalBudget.objects.current().for_carer().filter(person=person).first()
    form = CarersBudgetForm(_posted(request)) if assessment else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget_actions.agree_carers_budget(
                assessment,
                acting_user=request.user,
                amount_pence=to_pence(data["amount"]),
                period=data["period"],
                purpose=data["purpose"],
                reason=data["reason"],
            )
        except ActionError as refused:  # business rules included
            add_refusal(form, refused)
        else:
            messages.success(request, "The carer’s budget has been agreed")
            return redirect("reviews:carers-budget", person_pk=person.pk)
    return render(
        request,
        "reviews/carers_budget.html",
        {"person": person, "assessment": assessment, "current": current, "form": form},
    )
