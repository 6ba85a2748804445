"""Assessment pages: one question per page, check your answers, declaration, the budget
explained; and for staff, supported assessments, agreeing answers and eligibility."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import Role
from allocation.models import Allocation
from budgets import explained
from budgets.views import render_explained
from core.actions import ActionError
from core.concurrency import EditConflict
from core.http import page_name
from people import access
from people.models import Person

from . import actions
from . import domain as care_act
from .forms import AnswerForm, CapacityForm, DeclarationForm, EligibilityForm, StartForm
from .history import answer_history
from .models import Assessment


def _assessment(request, pk) -> Assessment:
    """The assessment, if the user may see its person (the read is logged); else 404."""
    found = (
        Assessment.objects.select_related("person", "version__scheme", "cared_for")
        .filter(pk=pk)
        .first()
        if access.is_record_id(pk)
        else None
    )
    if found is None:
        access.log_denied(request.user, f"assessment {pk}", via=page_name(request))
        raise Http404
    try:
        access.open_person(request.user, found.person_id, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    return found


def can_answer(user, assessment: Assessment) -> bool:
    return user.has_perm("assessment.answer_assessment", assessment)


def _questions(assessment):
    """The questions the answers so far lead to: a conditional question whose condition does
    not hold is skipped (selfdirect-ras/2 `asked_when`)."""
    return assessment.version.parsed.asked(assessment.answers)


def _next_code(assessment, code):
    """The next question asked after `code` (whether or not `code` itself is asked)."""
    parsed = assessment.version.parsed
    every = [q.code for q in parsed.questions]
    asked = {q.code for q in _questions(assessment)}
    return next((c for c in every[every.index(code) + 1 :] if c in asked), None)


def _sections(assessment):
    """Each domain with its status, for the assessment's task list."""
    sections = []
    asked = {q.code for q in _questions(assessment)}
    for domain in assessment.version.parsed.domains:
        here = [q for q in domain.questions if q.code in asked]
        if not here:
            continue
        answered = sum(1 for q in here if q.code in assessment.answers)
        first_open = next((q.code for q in here if q.code not in assessment.answers), None)
        sections.append(
            {
                "domain": domain,
                "answered": answered,
                "status": "Completed"
                if answered == len(here)
                else "In progress"
                if answered
                else "Not yet started",
                "href": reverse(
                    "assessment:question",
                    args=[assessment.pk, first_open or here[0].code],
                ),
            }
        )
    return sections


@login_required
def overview(request, pk):
    assessment = _assessment(request, pk)
    allocation = Allocation.objects.filter(assessment=assessment).first()
    return render(
        request,
        "assessment/overview.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "allocation": allocation,
            "sections": _sections(assessment) if assessment.is_open else None,
            "can_answer": can_answer(request.user, assessment),
            "can_decide": request.user.has_perm("assessment.decide_eligibility", assessment),
            "eligibility": getattr(assessment, "eligibility", None),
            "unanswered": len(assessment.unanswered()),
            "next_question": (assessment.unanswered() or [None])[0],
            "started": bool(assessment.answers),
        },
    )


@login_required
def question(request, pk, code):
    assessment = _assessment(request, pk)
    if not can_answer(request.user, assessment):
        return redirect("assessment:overview", pk=assessment.pk)
    q = assessment.version.parsed.question(code)
    if q is None:
        raise Http404
    if not assessment.version.parsed.is_asked(q, assessment.answers):
        # Not asked after the answers so far: go on to the next question that is.
        following = _next_code(assessment, code)
        if following is None:
            return redirect("assessment:check", pk=assessment.pk)
        return redirect("assessment:question", pk=assessment.pk, code=following)
    form = AnswerForm(
        request.POST or None, question=q, initial={"answer": assessment.answers.get(code)}
    )
    later = "later" in request.POST
    if request.method == "POST" and later and not request.POST.getlist("answer"):
        messages.success(request, "Your answers are saved. You can come back to them at any time.")
        return redirect(_after_saving(request, assessment))
    if request.method == "POST" and form.is_valid():
        actions.record_answer(
            assessment, code, form.cleaned_data["answer"], acting_user=request.user
        )
        if later:
            messages.success(
                request, "Your answers are saved. You can come back to them at any time."
            )
            return redirect(_after_saving(request, assessment))
        following = _next_code(assessment, code)
        if request.GET.get("return") == "check" or following is None:
            return redirect("assessment:check", pk=assessment.pk)
        return redirect("assessment:question", pk=assessment.pk, code=following)
    codes = [x.code for x in _questions(assessment)]
    position = codes.index(code)
    previous = codes[position - 1] if position else None
    return render(
        request,
        "assessment/question.html",
        {
            "assessment": assessment,
            "form": form,
            "question": q,
            "domain": assessment.version.parsed.domain_of(code),
            "number": position + 1,
            "count": len(codes),
            "back": reverse("assessment:check", args=[assessment.pk])
            if request.GET.get("return") == "check"
            else reverse("assessment:question", args=[assessment.pk, previous])
            if previous
            else reverse("assessment:overview", args=[assessment.pk]),
        },
    )


def answer_words(question, value) -> str | None:
    """An answer as the person chose it: the option's label, or for a multiple-choice
    question the labels chosen (or the words for none); None when not answered."""
    chosen = question.chosen(value) if value is not None else None
    if chosen is None:
        return None
    if question.multiple and not chosen:
        return question.none_label or "None of these"
    return "; ".join(o.label for o in chosen)


def _after_saving(request, assessment) -> str:
    if request.user.is_citizen:
        return reverse("people:portal")
    return reverse("assessment:overview", args=[assessment.pk])


def _answer_rows(assessment):
    rows = []
    for domain in assessment.version.parsed.domains:
        items = []
        for q in domain.questions:
            if not assessment.version.parsed.is_asked(q, assessment.answers):
                continue  # not asked after the answers given: nothing to check
            items.append({"question": q, "answer": answer_words(q, assessment.answers.get(q.code))})
        rows.append({"domain": domain, "items": items})
    return rows


@login_required
def check(request, pk):
    assessment = _assessment(request, pk)
    if not can_answer(request.user, assessment):
        return redirect("assessment:overview", pk=assessment.pk)
    return render(
        request,
        "assessment/check.html",
        {
            "assessment": assessment,
            "rows": _answer_rows(assessment),
            "unanswered": assessment.unanswered(),
        },
    )


@login_required
def declaration(request, pk):
    assessment = _assessment(request, pk)
    if not can_answer(request.user, assessment):
        return redirect("assessment:overview", pk=assessment.pk)
    staff = request.user.is_council_staff
    initial = {"full_name": request.user.get_full_name()}
    form = DeclarationForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit(
                assessment,
                acting_user=request.user,
                declaration_name=form.cleaned_data["full_name"],
            )
        except actions.UnansweredQuestions as missing:
            messages.info(
                request,
                "Some questions have changed since you started. Answer them, then submit again.",
            )
            return redirect("assessment:question", pk=assessment.pk, code=missing.codes[0])
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("assessment:submitted", pk=assessment.pk)
    return render(
        request,
        "assessment/declaration.html",
        {"assessment": assessment, "form": form, "staff": staff},
    )


@login_required
def submitted(request, pk):
    assessment = _assessment(request, pk)
    allocation = Allocation.objects.filter(assessment=assessment).first()
    if allocation is None:
        return redirect("assessment:overview", pk=assessment.pk)
    return render(
        request, "assessment/submitted.html", {"assessment": assessment, "allocation": allocation}
    )


@login_required
def budget(request, pk):
    """The amount explained: every answer that counted, every adjustment, every pound; what it
    could buy; that the final budget must meet the eligible needs (budgets/explained.py)."""
    assessment = _assessment(request, pk)
    allocation = (
        Allocation.objects.select_related("version__scheme", "assessment__person")
        .filter(assessment=assessment)
        .first()
    )
    if allocation is None:
        raise Http404
    if not allocation.shows_money:
        # No money is shown for needs found not eligible: the decision and advice instead.
        if request.GET.get("format") == "csv":
            raise Http404
        return redirect("assessment:decision", pk=assessment.pk)
    return render_explained(
        request,
        explained.for_allocation(allocation, user=request.user),
        back=reverse("assessment:overview", args=[assessment.pk]),
        filename=f"budget-explained-{assessment.pk}.csv",
    )


@login_required
def decision(request, pk):
    """The eligibility decision in words for the person (and, when not eligible, the written
    advice the Care Act s13(5) requires), printable."""
    assessment = _assessment(request, pk)
    found = getattr(assessment, "eligibility", None)
    if found is None:
        raise Http404
    labels = dict(care_act.outcomes_for(assessment.kind))
    for_person = assessment.person.user_id == request.user.pk
    return render(
        request,
        "assessment/decision.html",
        {
            "assessment": assessment,
            "decision": found,
            "for_person": for_person,
            "who_name": assessment.person.first_name,
            "evidence_rows": [
                {
                    "label": labels[code],
                    "met_by_carer": found.evidence_for(code).get("met_by_carer"),
                }
                for code in found.unable_outcomes
                if code in labels
            ],
            "advice_topics": [
                label for code, label in care_act.ADVICE_TOPICS if code in found.advice_topics
            ],
        },
    )


@login_required
def history(request, pk):
    assessment = _assessment(request, pk)
    return render(
        request,
        "assessment/history.html",
        {
            "assessment": assessment,
            "entries": answer_history(assessment),
        },
    )


@login_required
def change_answer(request, pk, code):
    """Staff agree or change a submitted answer; a change needs a reason and is kept in history."""
    assessment = _assessment(request, pk)
    if not request.user.has_perm("assessment.review_assessment", assessment):
        raise Http404
    q = assessment.version.parsed.question(code)
    if q is None:
        raise Http404
    form = AnswerForm(
        request.POST or None,
        question=q,
        reason_required=True,
        initial={"answer": assessment.answers.get(code)},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["answer"] == assessment.answers.get(code):
            form.add_error("answer", "Choose a different answer, or go back to keep this one")
        else:
            try:
                actions.record_answers(
                    assessment,
                    {code: form.cleaned_data["answer"]},
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=request.POST.get("edit_version") or None,
                )
            except EditConflict as error:
                conflict = error
            else:
                messages.success(request, "The answer has been changed and the budget recalculated")
                return redirect("assessment:review", pk=assessment.pk)
    return render(
        request,
        "assessment/change_answer.html",
        {
            "assessment": assessment,
            "form": form,
            "question": q,
            "conflict": conflict,
            "edit_version": conflict.record.edit_version if conflict else assessment.edit_version,
        },
        status=409 if conflict else 200,
    )


@login_required
def review(request, pk):
    """A practitioner reads the submitted answers, changing any that are not right."""
    assessment = _assessment(request, pk)
    if not request.user.has_perm("assessment.review_assessment", assessment):
        raise Http404
    return render(
        request,
        "assessment/review.html",
        {"assessment": assessment, "rows": _answer_rows(assessment)},
    )


@login_required
def eligibility(request, pk):
    """Decide eligibility: the form, then a check-your-answers step, then the save."""
    assessment = _assessment(request, pk)
    if not request.user.has_perm("assessment.decide_eligibility", assessment):
        raise Http404
    existing = getattr(assessment, "eligibility", None)
    form = EligibilityForm(
        request.POST or None,
        kind=assessment.kind,
        changing=existing is not None,
        initial=EligibilityForm.initial_from(existing) if existing else {},
    )
    context = {"assessment": assessment, "form": form, "changing": existing is not None}
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "yes":
            try:
                decision = actions.decide_eligibility(
                    assessment, acting_user=request.user, **form.decision_kwargs()
                )
            except ActionError as error:
                for problem in getattr(error, "problems", [error]):
                    form.add_error(None, getattr(problem, "message", str(problem)))
            else:
                messages.success(
                    request,
                    "Eligible: the indicative budget is worked out from the eligible needs"
                    if decision.eligible
                    else "Not eligible: the person gets your advice in writing, and no budget",
                )
                return redirect("assessment:overview", pk=assessment.pk)
        elif request.POST.get("edit") != "yes":
            return render(
                request,
                "assessment/eligibility_check.html",
                _check_context(request, assessment, form),
            )
    return render(request, "assessment/eligibility.html", context)


def _check_context(request, assessment, form) -> dict:
    data = form.decision_kwargs()
    ways = dict(care_act.WAYS_UNABLE)
    labels = dict(care_act.outcomes_for(assessment.kind))
    return {
        "assessment": assessment,
        "result": form.result,
        "data": data,
        "evidence_rows": [
            {
                "label": labels[code],
                "ways": [ways[w] for w in item["ways"]],
                "note": item["note"],
                "met_by_carer": item["met_by_carer"],
            }
            for code, item in data["evidence"].items()
        ],
        "wellbeing": [
            label for code, label in care_act.WELLBEING_AREAS if code in data["wellbeing_areas"]
        ],
        "advice_topics": [
            label for code, label in care_act.ADVICE_TOPICS if code in data["advice_topics"]
        ],
        "posted": [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed", "edit")
            for value in values
        ],
    }


@login_required
def person_assessments(request, person_pk):
    """Staff: a person's assessments, and starting a supported one."""
    if not request.user.is_council_staff:
        access.log_denied(request.user, person_pk, via=page_name(request))
        raise Http404
    try:
        person = access.open_person(request.user, person_pk, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not request.user.has_perm("assessment.add_assessment"):
            raise Http404
        if form.is_valid():
            try:
                assessment = actions.start_assessment(
                    person,
                    kind=form.cleaned_data["kind"],
                    mode=Assessment.Mode.SUPPORTED,
                    acting_user=request.user,
                    cared_for=form.cleaned_data["cared_for_person"],
                )
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                return redirect("assessment:overview", pk=assessment.pk)
    assessments = person.assessments.select_related("version__scheme", "allocation", "eligibility")
    return render(
        request,
        "assessment/person_assessments.html",
        {
            "person": person,
            "assessments": assessments,
            "form": form,
            "tab": "assessments",
        },
    )


@login_required
def capacity(request, person_pk):
    """Staff: a person's Mental Capacity Act assessments, decision by decision, and a new one."""
    if not request.user.is_council_staff:
        access.log_denied(request.user, person_pk, via=page_name(request))
        raise Http404
    try:
        person = access.open_person(request.user, person_pk, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    form = CapacityForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("assessment.add_assessment"):
            raise Http404
        if form.is_valid():
            record = actions.record_capacity(
                person, acting_user=request.user, **form.action_kwargs()
            )
            messages.success(
                request,
                f"Recorded: {record.get_outcome_display().lower()} ({record.get_decision_display().lower()})",
            )
            return redirect("assessment:capacity", person_pk=person.pk)
    return render(
        request,
        "assessment/capacity.html",
        {
            "person": person,
            "records": person.capacity_assessments.select_related("assessed_by"),
            "form": form,
            "tab": "capacity",
        },
    )


@login_required
@require_POST
def start_self(request):
    """A person (or their representative) starts a self-assessment from their portal."""
    if request.user.role not in (Role.PERSON, Role.REPRESENTATIVE, Role.CARER):
        raise Http404
    ref = request.POST.get("person", "")
    person = None
    if access.is_record_id(ref):
        person = Person.objects.visible_to(request.user).filter(pk=ref).first()
    if person is None:
        access.log_denied(request.user, ref or "?", via=page_name(request))
        raise Http404
    kind = "carer" if request.user.role == Role.CARER else "person"
    try:
        assessment = actions.start_assessment(
            person, kind=kind, mode=Assessment.Mode.SELF, acting_user=request.user
        )
    except ActionError as error:
        messages.info(request, str(error))
        return redirect("people:portal")
    first = assessment.unanswered()[:1] or [_questions(assessment)[0].code]
    return redirect("assessment:question", pk=assessment.pk, code=first[0])
