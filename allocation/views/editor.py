"""The builder for draft versions: domains, questions, points to money, and limits.

Each page edits the version's JSON definition and saves it whole, checked: a change that
would make the definition invalid is refused with the reasons, and nothing is saved.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict
from core.rules import BusinessRuleViolation

from .. import actions
from ..domain import definition as ras
from ..forms import AllocationForm, DomainForm, LimitsForm, QuestionForm
from .common import get_version, manager_view


def _save(request, version, data, form=None, *, summary: str) -> bool:
    """Save the draft's new definition through the action; put any refusal on the form
    (or, for the small buttons with no form, in a message)."""
    try:
        actions.save_definition(
            version,
            ras.carry_over(data, version.parsed),
            acting_user=request.user,
            expected_version=request.POST.get("edit_version") or None,
            summary=summary,
        )
    except ras.DefinitionError as error:
        problems = error.problems
    except EditConflict as conflict:
        problems = [
            f"{conflict}. Your change has not been saved: check the draft as it is now, then try again"
        ]
    except BusinessRuleViolation as error:
        problems = [p.message for p in error.problems]
    else:
        return True
    for problem in problems:
        if form is not None:
            form.add_error(None, problem)
        else:
            messages.error(request, problem)
    return False


def _domain(data, code):
    return next((d for d in data["domains"] if d["code"] == code), None)


@manager_view
def domains(request, pk):
    version, _ = get_version(request, pk, draft=True)
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = ras.to_v1_dict(version.parsed)
        data.setdefault("domains", []).append({**form.cleaned_data, "questions": []})
        if _save(request, version, data, form, summary=f"Added domain {form.cleaned_data['code']}"):
            messages.success(request, f"Domain ‘{form.cleaned_data['title']}’ added")
            return redirect("allocation:domains", pk=version.pk)
    return render(request, "allocation/domains.html", {"version": version, "form": form})


@manager_view
def domain_edit(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    current = _domain(version.definition, code)
    if current is None:
        raise Http404
    form = DomainForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        data = ras.to_v1_dict(version.parsed)
        _domain(data, code).update(form.cleaned_data)
        if _save(request, version, data, form, summary=f"Changed domain {code}"):
            messages.success(request, "Domain saved")
            return redirect("allocation:domains", pk=version.pk)
    return render(
        request,
        "allocation/domain_edit.html",
        {"version": version, "form": form, "domain": current},
    )


@manager_view
@require_POST
def domain_delete(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    data = ras.to_v1_dict(version.parsed)
    data["domains"] = [d for d in data["domains"] if d["code"] != code]
    if _save(request, version, data, summary=f"Deleted domain {code} and its questions"):
        messages.success(request, "Domain and its questions deleted")
    return redirect("allocation:domains", pk=version.pk)


@manager_view
@require_POST
def domain_move(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    data = ras.to_v1_dict(version.parsed)
    codes = [d["code"] for d in data["domains"]]
    if code in codes:
        i = codes.index(code)
        j = i - 1 if request.POST.get("direction") == "up" else i + 1
        if 0 <= j < len(codes):
            data["domains"][i], data["domains"][j] = data["domains"][j], data["domains"][i]
            _save(request, version, data, summary=f"Moved domain {code}")
    return redirect("allocation:domains", pk=version.pk)


@manager_view
def questions(request, pk):
    version, _ = get_version(request, pk, draft=True)
    return render(
        request,
        "allocation/questions.html",
        {
            "version": version,
            "definition": version.parsed,
            "problems": ras.publication_problems(version.parsed),
        },
    )


@manager_view
def question_edit(request, pk, code=None):
    version, _ = get_version(request, pk, draft=True)
    definition = version.parsed
    if not definition.domains:
        messages.info(request, "Add a domain before adding questions")
        return redirect("allocation:domains", pk=version.pk)
    existing, domain_code = None, request.GET.get("domain") or definition.domains[0].code
    if code:
        for d in ras.to_v1_dict(version.parsed)["domains"]:
            for q in d["questions"]:
                if q["code"] == code:
                    existing, domain_code = q, d["code"]
        if existing is None:
            raise Http404
    form = QuestionForm(
        request.POST or None,
        domains=definition.domains,
        kind=definition.kind,
        initial=QuestionForm.initial_for(domain_code, existing),
    )
    if request.method == "POST" and form.is_valid():
        data = ras.to_v1_dict(version.parsed)
        for d in data["domains"]:
            d["questions"] = [q for q in d["questions"] if q["code"] != code]
        target = _domain(data, form.cleaned_data["domain"])
        if existing and domain_code == form.cleaned_data["domain"]:
            # Keep the question where it was in its domain.
            position = [
                q["code"] for q in _domain(version.definition, domain_code)["questions"]
            ].index(code)
            target["questions"].insert(position, form.question())
        else:
            target["questions"].append(form.question())
        if _save(
            request, version, data, form, summary=f"Saved question {form.cleaned_data['code']}"
        ):
            messages.success(request, "Question saved")
            return redirect("allocation:questions", pk=version.pk)
    return render(
        request,
        "allocation/question_edit.html",
        {"version": version, "form": form, "existing": existing},
    )


@manager_view
@require_POST
def question_delete(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    data = ras.to_v1_dict(version.parsed)
    for d in data["domains"]:
        d["questions"] = [q for q in d["questions"] if q["code"] != code]
    if _save(request, version, data, summary=f"Deleted question {code}"):
        messages.success(request, "Question deleted")
    return redirect("allocation:questions", pk=version.pk)


@manager_view
def rule(request, pk):
    version, _ = get_version(request, pk, draft=True)
    current = ras.to_v1_dict(version.parsed)["allocation"]
    initial = {
        "method": current.get("method", "price_per_point"),
        "fixed_amount": current.get("fixed_amount"),
        "price_per_point": current.get("price_per_point"),
        "bands": "\n".join(f"{b['min_points']}, {b['amount']}" for b in current.get("bands", [])),
    }
    form = AllocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = ras.to_v1_dict(version.parsed)
        data["allocation"] = form.allocation()
        if _save(request, version, data, form, summary="Changed points to money"):
            messages.success(request, "Points to money saved")
            return redirect("allocation:version", pk=version.pk)
    return render(request, "allocation/rule.html", {"version": version, "form": form})


@manager_view
def limits(request, pk):
    version, _ = get_version(request, pk, draft=True)
    data0 = ras.to_v1_dict(version.parsed)
    initial = {
        "period": data0.get("period", "week"),
        "minimum": (data0.get("limits") or {}).get("minimum"),
        "maximum": (data0.get("limits") or {}).get("maximum"),
        "cap_percent": (data0.get("informal_support") or {}).get("cap_percent", 0),
    }
    form = LimitsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = ras.to_v1_dict(version.parsed)
        cleaned = form.cleaned_data
        data["period"] = cleaned["period"]
        data["limits"] = {
            key: None if cleaned[key] is None else format(cleaned[key], "f")
            for key in ("minimum", "maximum")
        }
        data["informal_support"] = {"cap_percent": cleaned["cap_percent"]}
        if _save(request, version, data, form, summary="Changed the limits"):
            messages.success(request, "Limits saved")
            return redirect("allocation:version", pk=version.pk)
    return render(request, "allocation/limits.html", {"version": version, "form": form})
