"""A model run's equality impact: justifying flagged groups, the commissioner's written
assessment, and the draft equality impact assessment the council's own EIA draws on.

The Equality Act 2010 asks the council to have due regard to equality before it decides
(s149), and forbids a rule that puts people who share a protected characteristic at a
particular disadvantage unless it is a proportionate means of achieving a legitimate aim
(s19). A model run flags the groups whose budgets would change noticeably differently from
everyone's; each needs a written justification before the version can be published.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from core.rules import BusinessRuleViolation

from .. import actions, services
from ..forms import EqualityAssessmentForm, JustificationForm
from ..models import EqualityAssessment, ModelRun
from .common import get_run, manager_view

# Which protected characteristic (Equality Act 2010) each group speaks to, for the draft EIA.
CHARACTERISTICS = {
    "Age band": "Age (section 5)",
    "Sex": "Sex (section 11)",
    "Gender identity (gender reassignment)": "Gender reassignment (section 7)",
    "Ethnic group": "Race (section 9)",
    "Religion or belief": "Religion or belief (section 10)",
    "Sexual orientation": "Sexual orientation (section 12)",
    "Marriage or civil partnership": "Marriage and civil partnership (section 8)",
    "Pregnancy and maternity": "Pregnancy and maternity (sections 4 and 17)",
    "Primary support reason": "Disability (section 6)",
    "Dementia": "Disability (section 6)",
    "Autism": "Disability (section 6)",
    "Visual impairment": "Disability (section 6)",
    "Hearing impairment": "Disability (section 6)",
    "Client group": "Disability (section 6) and age (section 5)",
}


def sections(run: ModelRun) -> dict:
    """What the model-run page and the draft EIA show about equality, ready for a template."""
    result = run.result or {}
    groups = result.get("groups", {})
    written = run.justifications_by_group()
    flags = []
    for index, flag in enumerate(run.flags):
        row = next((r for r in groups.get(flag["group"], []) if r["label"] == flag["label"]), {})
        flags.append(
            {
                "index": index,
                **flag,
                "row": row,
                "justification": written.get((flag["group"], flag["label"])),
            }
        )
    return {
        "groups": [
            {
                "name": name,
                "anchor": f"group-{number}",
                "rows": rows,
                "flagged": any(row.get("flagged") for row in rows),
                "characteristic": CHARACTERISTICS.get(name, ""),
            }
            for number, (name, rows) in enumerate(services.ordered_groups(result), 1)
        ],
        "flags": flags,
        "unjustified": sum(1 for flag in flags if flag["justification"] is None),
        "assessment": EqualityAssessment.objects.filter(run=run)
        .select_related("written_by")
        .first(),
        "small_group": result.get("small_group", 10),
        "flag_margin": result.get("flag_margin", run.flag_margin_percent),
    }


def _finished_run(request, pk) -> ModelRun:
    run = get_run(request, ModelRun, pk)
    if run.status != run.Status.DONE:
        raise Http404
    return run


@manager_view
def justify(request, pk, index):
    """Write why one flagged group's different change is justified."""
    run = _finished_run(request, pk)
    flags = run.flags
    if not 0 <= index < len(flags):
        raise Http404
    flag = flags[index]
    existing = run.justifications_by_group().get((flag["group"], flag["label"]))
    initial = {"justification": existing.justification} if existing else {}
    form = JustificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.justify_group(
                run,
                flag["group"],
                flag["label"],
                form.cleaned_data["justification"],
                acting_user=request.user,
            )
        except BusinessRuleViolation as error:
            for problem in error.problems:
                form.add_error("justification", problem.message)
        else:
            messages.success(request, f"Justification saved for {flag['group']}: {flag['label']}")
            return redirect(f"{run_url(run)}#flagged-groups")
    row = next(
        (r for r in run.result["groups"].get(flag["group"], []) if r["label"] == flag["label"]),
        {},
    )
    return render(
        request,
        "allocation/justify.html",
        {
            "run": run,
            "version": run.version,
            "flag": flag,
            "row": row,
            "overall": run.result["overall"],
            "form": form,
            "margin": run.result.get("flag_margin", run.flag_margin_percent),
            "period": run.result["summary"]["period"],
        },
    )


@manager_view
def assessment(request, pk):
    """The commissioner's own written assessment of the run's equality impact."""
    run = _finished_run(request, pk)
    existing = EqualityAssessment.objects.filter(run=run).first()
    form = EqualityAssessmentForm(
        request.POST or None, initial={"text": existing.text} if existing else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.write_equality_assessment(
                run, form.cleaned_data["text"], acting_user=request.user
            )
        except BusinessRuleViolation as error:
            for problem in error.problems:
                form.add_error("text", problem.message)
        else:
            messages.success(request, "Your assessment has been saved")
            return redirect(f"{run_url(run)}#written-assessment")
    return render(
        request,
        "allocation/equality_assessment.html",
        {"run": run, "version": run.version, "form": form},
    )


@manager_view
def impact(request, pk):
    """The draft equality impact assessment: figures, flags, justifications and the
    commissioner's assessment, as a printable page or a file to keep."""
    run = _finished_run(request, pk)
    context = {
        "run": run,
        "version": run.version,
        "result": run.result,
        "summary": run.result.get("summary", {}),
        "produced_at": timezone.now(),
        **sections(run),
    }
    if request.GET.get("download") == "html":
        document = render_to_string("allocation/impact_document.html", context, request=request)
        response = HttpResponse(document, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="draft-equality-impact-model-run-{run.pk}.html"'
        )
        return response
    return render(request, "allocation/impact.html", context)


def run_url(run) -> str:
    from django.urls import reverse

    return reverse("allocation:model-run", args=[run.pk])
