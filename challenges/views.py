"""Budget letter pages (and the PDF from the same template), the portal's challenge route, and
the staff list and handling of challenges.

The letter opens its plan as the plan's pages do (plans.views._open: the person's record is
read and logged, or the answer is a 404). Challenges are read through
`Challenge.objects.visible_to`; a record someone may not see is a 404, as is a page for a
role it is not for.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import CITIZEN_ROLES, RECORD_EDITOR_ROLES
from core.actions import ActionError
from core.concurrency import EditConflict
from core.http import page_name
from core.permissions import is_record_id
from core.rules import BusinessRuleViolation
from people import access
from plans.views import _open as open_plan

from . import actions, letter
from .forms import AssignForm, ChallengeForm, DecideForm
from .models import Challenge


def _agreed_plan(request, pk):
    plan, v = open_plan(request, pk)
    if plan.status not in actions.AGREED or plan.budget.status == "proposed":
        raise Http404
    return plan, v


# --- The budget letter ---------------------------------------------------------------------


@login_required
def letter_page(request, pk):
    plan, v = _agreed_plan(request, pk)
    built = letter.build(plan)
    return render(
        request,
        "challenges/letter.html",
        letter.context(
            built,
            layout="base.html",
            printing=False,
            back=reverse("plans:plan", args=[plan.pk]),
            may_issue=request.user.has_perm("challenges.issue_letter"),
            history=letter.history(plan=plan, staff=request.user.is_council_staff),
            v=v,
        ),
    )


def pdf_response(built, request) -> HttpResponse:
    response = HttpResponse(letter.render_pdf(built, request), content_type="application/pdf")
    name = f"budget-letter-{built.person.council_person_id}-{built.dated:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def letter_pdf(request, pk):
    plan, _v = _agreed_plan(request, pk)
    return pdf_response(letter.build(plan), request)


@login_required
@require_POST
def issue_letter(request, pk):
    plan, _v = _agreed_plan(request, pk)
    if not request.user.has_perm("challenges.issue_letter"):
        raise Http404
    try:
        actions.issue_letter(plan, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The letter is recorded as sent")
    return redirect("challenges:letter", pk=plan.pk)


# --- The person: challenging a decision -------------------------------------------------------


def _citizen_person(request, person_pk):
    if request.user.role not in CITIZEN_ROLES:
        access.log_denied(request.user, person_pk, via=page_name(request))
        raise Http404
    try:
        return access.open_person(request.user, person_pk, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None


def _is_self(request, person) -> bool:
    return bool(person.user_id) and person.user_id == request.user.pk


@login_required
def start(request, person_pk):
    """Challenge a budget or plan decision, in your own words."""
    person = _citizen_person(request, person_pk)
    decisions = actions.decisions_for(person)
    form = ChallengeForm(request.POST if request.method == "POST" else None, decisions=decisions)
    if request.method == "POST" and decisions and form.is_valid():
        chosen = next(d for d in decisions if d.key == form.cleaned_data["decision"])
        try:
            challenge = actions.raise_challenge(
                chosen,
                acting_user=request.user,
                words=form.cleaned_data["words"],
                wanted=form.cleaned_data["wanted"],
            )
        except BusinessRuleViolation as refused:
            for problem in refused.problems:
                form.add_error("words" if problem.code == "CHALLENGE-WORDS" else None, problem)
        else:
            return redirect("challenges:detail", pk=challenge.pk)
    return render(
        request,
        "challenges/start.html",
        {
            "person": person,
            "form": form,
            "decisions": decisions,
            "is_self": _is_self(request, person),
            "days": actions.RESPONSE_WORKING_DAYS,
            "respond_by": actions.respond_by(timezone.localdate()),
        },
    )


def _challenge(request, pk) -> Challenge:
    challenge = (
        Challenge.objects.visible_to(request.user)
        .select_related("person", "plan", "budget", "assigned_to", "decided_by", "raised_by")
        .filter(pk=pk)
        .first()
        if is_record_id(pk)
        else None
    )
    if challenge is None:
        access.log_denied(request.user, f"challenge {pk}", via=page_name(request))
        raise Http404
    return challenge


@login_required
def detail(request, pk):
    """The person's challenge: what they said, when we will reply by, and the outcome."""
    if request.user.role not in CITIZEN_ROLES:
        raise Http404
    challenge = _challenge(request, pk)
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "person": challenge.person,
            "is_self": _is_self(request, challenge.person),
            "may_withdraw": request.user.has_perm("challenges.withdraw_challenge", challenge),
        },
    )


@login_required
@require_POST
def withdraw(request, pk):
    if request.user.role not in CITIZEN_ROLES:
        raise Http404
    challenge = _challenge(request, pk)
    if not request.user.has_perm("challenges.withdraw_challenge", challenge):
        raise Http404
    try:
        actions.withdraw_challenge(
            challenge,
            acting_user=request.user,
            expected_version=request.POST.get("edit_version") or None,
        )
    except (ActionError, EditConflict) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        messages.success(request, "Your challenge has been withdrawn")
    return redirect("challenges:detail", pk=challenge.pk)


# --- Staff: open challenges, assigning and deciding -------------------------------------------


def _staff(request):
    if not request.user.has_perm("challenges.view_open_challenges"):
        access.log_denied(request.user, "challenges", via=page_name(request))
        raise Http404


@login_required
def open_list(request):
    """Open challenges of the people you may see (your team's), the oldest due first; overdue
    ones marked."""
    _staff(request)
    today = timezone.localdate()
    challenges = list(
        Challenge.objects.visible_to(request.user)
        .open()
        .select_related("person", "assigned_to")
        .order_by("respond_by", "id")[:500]
    )
    recent = list(
        Challenge.objects.visible_to(request.user)
        .filter(status__in=Challenge.OUTCOMES)
        .select_related("person", "decided_by")
        .order_by("-decided_at")[:10]
    )
    for challenge in challenges:
        challenge.overdue = challenge.respond_by < today
    return render(
        request,
        "challenges/open_list.html",
        {
            "challenges": challenges,
            "overdue_count": sum(1 for c in challenges if c.overdue),
            "recent": recent,
            "today": today,
        },
    )


def _assignable(challenge):
    return (
        User.objects.filter(
            is_active=True, role__in=RECORD_EDITOR_ROLES, team_id=challenge.person.team_id
        )
        .exclude(pk=challenge.decision_maker_id)
        .order_by("last_name", "first_name")
    )


@login_required
def staff_detail(request, pk):
    _staff(request)
    challenge = _challenge(request, pk)
    try:
        access.open_person(request.user, challenge.person_id, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    staff = list(_assignable(challenge))
    posted = request.POST if request.method == "POST" else None
    step = request.POST.get("step") if posted else None
    assign_form = AssignForm(posted if step == "assign" else None, staff=staff)
    decide_form = DecideForm(posted if step == "decide" else None)
    refusals = []
    if step == "assign" and request.user.has_perm("challenges.assign_challenge", challenge):
        if assign_form.is_valid():
            assignee = next(u for u in staff if str(u.pk) == assign_form.cleaned_data["assignee"])
            try:
                actions.assign_challenge(
                    challenge,
                    acting_user=request.user,
                    assignee=assignee,
                    expected_version=request.POST.get("edit_version") or None,
                )
            except BusinessRuleViolation as refused:
                refusals = refused.problems
            except (ActionError, EditConflict) as error:
                assign_form.add_error(None, getattr(error, "message", str(error)))
            else:
                messages.success(request, f"Assigned to {assignee.display_name}")
                return redirect("challenges:staff-detail", pk=challenge.pk)
    elif step == "decide" and request.user.has_perm("challenges.decide_challenge", challenge):
        if decide_form.is_valid():
            try:
                actions.decide_challenge(
                    challenge,
                    acting_user=request.user,
                    outcome=decide_form.cleaned_data["outcome"],
                    reasons=decide_form.cleaned_data["reasons"],
                    expected_version=request.POST.get("edit_version") or None,
                )
            except BusinessRuleViolation as refused:
                refusals = refused.problems
            except (ActionError, EditConflict) as error:
                decide_form.add_error(None, getattr(error, "message", str(error)))
            else:
                messages.success(request, "The challenge is decided: the person can see why")
                return redirect("challenges:staff-detail", pk=challenge.pk)
    elif step:
        raise Http404
    form = decide_form if step == "decide" else assign_form
    return render(
        request,
        "challenges/staff_detail.html",
        {
            "challenge": challenge,
            "person": challenge.person,
            "form": form,
            "assign_form": assign_form,
            "decide_form": decide_form,
            "refusals": refusals,
            "may_assign": request.user.has_perm("challenges.assign_challenge", challenge),
            "may_decide": request.user.has_perm("challenges.decide_challenge", challenge),
            "is_decision_maker": challenge.decision_maker_id == request.user.pk,
            "overdue": challenge.is_overdue(),
        },
    )
