"""The scheme editor for draft versions: domains (and their caps), questions, money tables by
group, the amount's period and limits, and how support from family and friends counts.

Each page edits the version's definition in the selfdirect-ras/2 form (`definition.to_dict`,
so every rule the pages do not show is kept as it is) and saves it whole through
`actions.save_definition`, which checks it (`definition.parse`): a change that would make the
definition invalid is refused with every reason, each naming the part of the scheme it is
about, and nothing is saved.
"""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict
from core.rules import BusinessRuleViolation

from .. import actions, rules
from ..domain import definition as ras
from ..forms import (
    REDUCTION_KEYS,
    DomainForm,
    InformalSupportForm,
    LimitsForm,
    MoneyTableForm,
    QuestionForm,
    most_services,
    reduction_key,
)
from .common import get_version, manager_view

_PART = re.compile(r"\[(\d+)\]|\.([A-Za-z_][A-Za-z0-9_]*)")
_KEY_WORDS = {
    "min_points": "lowest points",
    "amount": "amount",
    "applies_to": "who it is for",
    "age_to": "highest age",
    "age_from": "lowest age",
    "asked_when": "asked only when",
    "not_more_than": "never reduces more than",
    "reduction_percent": "percentage taken off",
    "reduction_points": "points taken off",
    "carer_points": "carer points",
    "informal_support": "support from family and friends",
    "carer_money": "carer’s amount",
    "none_label": "words for none",
    "price_per_point": "price per point",
    "fixed_amount": "fixed amount",
}


def in_words(data: dict, path: str) -> str:
    """A JSON path of the definition as the pages name that part: `$.domains[1].questions[0]
    .options[2].points` is "Domain ‘Daily living’, question ‘meals’, answer 3, points"."""
    parts, node = [], data
    for index, key in _PART.findall(path):
        if index:
            i = int(index)
            item = node[i] if isinstance(node, list) and i < len(node) else {}
            name = item.get("title") or item.get("code") if isinstance(item, dict) else None
            if parts and parts[-1] in ("Domain", "Money table", "question"):
                parts[-1] = f"{parts[-1]} ‘{name or i + 1}’"
            elif parts and parts[-1] in ("answer", "band", "service"):
                parts[-1] = f"{parts[-1]} {i + 1}"
            node = item
            continue
        label = {
            "domains": "Domain",
            "money_tables": "Money table",
            "questions": "question",
            "options": "answer",
            "bands": "band",
            "support": "service",
        }.get(key)
        node = node.get(key, {}) if isinstance(node, dict) else {}
        if label:
            parts.append(label)
        else:
            parts.append(_KEY_WORDS.get(key, key.replace("_", " ")))
    text = ", ".join(parts)  # a question is named by its code, a domain or table by its title
    return text[:1].upper() + text[1:] if text else "The scheme"


def _problems(data: dict, error: ras.DefinitionError) -> list[str]:
    return [
        item["message"]
        if item["path"] == "$"
        else f"{in_words(data, item['path'])}: {item['message']}"
        for item in error.items
    ]


def _save(request, version, data, form=None, *, summary: str) -> bool:
    """Save the draft's new definition through the action; put any refusal on the form
    (or, for the small buttons with no form, in a message). Nothing is saved on a refusal."""
    try:
        actions.save_definition(
            version,
            data,
            acting_user=request.user,
            expected_version=request.POST.get("edit_version") or None,
            summary=summary,
        )
    except ras.DefinitionError as error:
        problems = _problems(data, error)
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


def _working(version) -> dict:
    """The draft's definition as the pages edit it: selfdirect-ras/2, whole."""
    return ras.to_dict(version.parsed)


def _find(items, code):
    return next((item for item in items if item.get("code") == code), None)


def _move(items: list, code: str, direction: str) -> bool:
    codes = [item.get("code") for item in items]
    if code not in codes:
        return False
    i = codes.index(code)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(items):
        return False
    items[i], items[j] = items[j], items[i]
    return True


# --- domains ---------------------------------------------------------------------------------


@manager_view
def domains(request, pk):
    version, _ = get_version(request, pk, draft=True)
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = _working(version)
        data["domains"].append({**form.domain(), "questions": []})
        if _save(request, version, data, form, summary=f"Added domain {form.cleaned_data['code']}"):
            messages.success(request, f"Domain ‘{form.cleaned_data['title']}’ added")
            return redirect("allocation:domains", pk=version.pk)
    return render(request, "allocation/domains.html", {"version": version, "form": form})


@manager_view
def domain_edit(request, pk, code):
    """Change a domain's code, title, description and cap; its questions and its setting for
    support from family and friends stay with it, whatever its code becomes."""
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    current = _find(data["domains"], code)
    if current is None:
        raise Http404
    form = DomainForm(request.POST or None, initial=DomainForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        current.pop("cap", None)
        current.update(form.domain())
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
    data = _working(version)
    data["domains"] = [d for d in data["domains"] if d["code"] != code]
    if _save(request, version, data, summary=f"Deleted domain {code} and its questions"):
        messages.success(request, "Domain and its questions deleted")
    return redirect("allocation:domains", pk=version.pk)


@manager_view
@require_POST
def domain_move(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    if _move(data["domains"], code, request.POST.get("direction", "")):
        _save(request, version, data, summary=f"Moved domain {code}")
    return redirect("allocation:domains", pk=version.pk)


# --- questions -------------------------------------------------------------------------------


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
    """Add a question, or change one: its answers (a row each, with room for every answer it
    has) and each answer's services at reference rates (a row for each service of the
    answer with the most, and one more), so saving the page keeps every answer and service."""
    version, _ = get_version(request, pk, draft=True)
    definition = version.parsed
    if not definition.domains:
        messages.info(request, "Add a domain before adding questions")
        return redirect("allocation:domains", pk=version.pk)
    data = _working(version)
    existing, domain_code = None, request.GET.get("domain") or definition.domains[0].code
    if code:
        for d in data["domains"]:
            for q in d["questions"]:
                if q["code"] == code:
                    existing, domain_code = q, d["code"]
        if existing is None:
            raise Http404
    form = QuestionForm(
        request.POST or None,
        domains=definition.domains,
        kind=definition.kind,
        questions=[q for q in definition.questions if q.code != code],
        reduction=reduction_key(data, domain_code),
        rows=len(existing["options"]) + 1 if existing else 0,
        services=most_services(existing),
        initial=QuestionForm.initial_for(domain_code, existing),
    )
    if request.method == "POST" and form.is_valid():
        target_code = form.cleaned_data["domain"]
        question = form.question(reduction_key(data, target_code))
        position = None
        for d in data["domains"]:
            codes = [q["code"] for q in d["questions"]]
            if code in codes and d["code"] == target_code:
                position = codes.index(code)  # keep the question where it was in its domain
            d["questions"] = [q for q in d["questions"] if q["code"] != code]
        target = _find(data["domains"], target_code)
        if position is None:
            target["questions"].append(question)
        else:
            target["questions"].insert(position, question)
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
    data = _working(version)
    for d in data["domains"]:
        d["questions"] = [q for q in d["questions"] if q["code"] != code]
    if _save(request, version, data, summary=f"Deleted question {code}"):
        messages.success(request, "Question deleted")
    return redirect("allocation:questions", pk=version.pk)


# --- money tables ----------------------------------------------------------------------------


@manager_view
def money_tables(request, pk):
    """The money tables in the order they are tried: the first that fits the person is used."""
    version, _ = get_version(request, pk, draft=True)
    definition = version.parsed
    return render(
        request,
        "allocation/money_tables.html",
        {
            "version": version,
            "definition": definition,
            "problems": [
                message
                for code, message in ras.publication_problems(definition)
                if code in ("RAS-NO-PRICE", "RAS-TABLES-GAP")
            ],
            "calibration_refusals": rules.calibration_problems(version),
        },
    )


@manager_view
def money_table_edit(request, pk, code=None):
    """Add a money table, or change one: who it is for and its points-to-money rule."""
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    existing = None
    if code:
        existing = _find(data["money_tables"], code)
        if existing is None:
            raise Http404
    form = MoneyTableForm(request.POST or None)
    if not form.is_bound:
        form.initial = form.initial_for(existing or {"method": "price_per_point"})
    if request.method == "POST" and form.is_valid():
        table = form.table()
        tables = data["money_tables"]
        if existing is not None:
            tables[tables.index(existing)] = table
        elif tables and "applies_to" not in tables[-1] and "applies_to" in table:
            tables.insert(len(tables) - 1, table)  # before the table for everyone else
        else:
            tables.append(table)
        summary = f"{'Changed' if existing else 'Added'} money table {table['code']}"
        if _save(request, version, data, form, summary=summary):
            messages.success(request, f"Money table ‘{table['title']}’ saved")
            return redirect("allocation:money-tables", pk=version.pk)
    return render(
        request,
        "allocation/money_table_edit.html",
        {"version": version, "form": form, "existing": existing},
    )


@manager_view
@require_POST
def money_table_delete(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    if len(data["money_tables"]) == 1:
        messages.error(request, "A scheme needs at least one money table: change it instead")
        return redirect("allocation:money-tables", pk=version.pk)
    data["money_tables"] = [t for t in data["money_tables"] if t["code"] != code]
    if _save(request, version, data, summary=f"Deleted money table {code}"):
        messages.success(request, "Money table deleted")
    return redirect("allocation:money-tables", pk=version.pk)


@manager_view
@require_POST
def money_table_move(request, pk, code):
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    if _move(data["money_tables"], code, request.POST.get("direction", "")):
        _save(request, version, data, summary=f"Moved money table {code}")
    return redirect("allocation:money-tables", pk=version.pk)


# --- period and limits -----------------------------------------------------------------------


@manager_view
def limits(request, pk):
    """The amount's period (a week, a year or once) and its minimum and maximum."""
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    initial = {
        "period": data["period"],
        "minimum": data["limits"].get("minimum"),
        "maximum": data["limits"].get("maximum"),
    }
    form = LimitsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        data["period"] = cleaned["period"]
        data["limits"] = {
            key: None if cleaned[key] is None else format(cleaned[key], "f")
            for key in ("minimum", "maximum")
        }
        if _save(request, version, data, form, summary="Changed the period and limits"):
            messages.success(request, "Period and limits saved")
            return redirect("allocation:version", pk=version.pk)
    return render(request, "allocation/limits.html", {"version": version, "form": form})


# --- support from family and friends ---------------------------------------------------------


@manager_view
def informal_support(request, pk):
    """How support from family and friends counts (Care and Support Statutory Guidance 6.18,
    10.26, 11.x): a percentage off across the scheme, a percentage or points off domain by
    domain, or a carer allocation of its own. The answers' values move to the key the new
    method uses, so changing the method keeps what each answer says."""
    version, _ = get_version(request, pk, draft=True)
    data = _working(version)
    form = InformalSupportForm(request.POST or None, domains=data["domains"])
    if not form.is_bound:
        form.initial = form.initial_for(data)
    if request.method == "POST" and form.is_valid():
        data["informal_support"] = form.informal()
        for domain, setting in zip(data["domains"], form.domain_settings().values(), strict=True):
            domain.pop("informal_support", None)
            if setting is not None:
                domain["informal_support"] = setting
        _move_reductions(data)
        if _save(request, version, data, form, summary="Changed how family support counts"):
            messages.success(request, "Support from family and friends saved")
            return redirect("allocation:version", pk=version.pk)
    return render(request, "allocation/informal_support.html", {"version": version, "form": form})


def _move_reductions(data: dict) -> None:
    """Each family-support answer's value under the key its domain now uses (a percentage,
    points off, or carer points); `parse` refuses a value the new key cannot hold."""
    for domain in data["domains"]:
        key = reduction_key(data, domain["code"])
        for question in domain["questions"]:
            if question.get("type") != "informal_support":
                continue
            for option in question["options"]:
                value = next((option.pop(k) for k in REDUCTION_KEYS if option.get(k)), 0)
                for k in REDUCTION_KEYS:
                    option.pop(k, None)
                option[key] = value
