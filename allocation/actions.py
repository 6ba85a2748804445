"""Every write to RAS schemes, versions, runs and the council's reference rates.

A version goes draft → live → retired (django-fsm-2 transitions on RasVersion, called
only from here). A draft is edited whole: each change replaces its definition after
checking it, and is refused if someone saved the draft since the page was opened.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from core import jobs
from core.actions import ActionError, action, audit, because
from core.concurrency import bump, lock_at_version
from core.money import format_pence, to_pence
from core.rules import BusinessRuleViolation, check_all

from . import rules
from .domain import definition as ras
from .models import (
    CalibrationRun,
    EqualityAssessment,
    GroupJustification,
    ModelRun,
    RasScheme,
    RasVersion,
    ReferenceRate,
)


@action
def create_draft(
    scheme: RasScheme,
    definition: dict,
    *,
    acting_user,
    label: str = "",
    origin=RasVersion.Origin.BUILT,
    based_on: RasVersion | None = None,
    notes: str = "",
) -> RasVersion:
    """A new draft version of a scheme, numbered after the last one."""
    parsed = ras.parse(definition)  # raises DefinitionError listing every problem
    if parsed.kind != scheme.kind:
        raise ActionError(
            "The definition is for a different kind of assessment than this scheme",
            code="RAS-KIND-MISMATCH",
        )
    RasScheme.objects.select_for_update().filter(pk=scheme.pk).first()
    number = (RasVersion.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
    because(RasVersion.Origin(origin).label)
    version = RasVersion.objects.create(
        scheme=scheme,
        number=number,
        label=label,
        definition=definition,
        origin=origin,
        based_on=based_on,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        notes=notes,
    )
    source = f" from version {based_on.number}" if based_on else ""
    audit(version, f"Made draft version {number} of {scheme.name}{source}")
    return version


@action
def copy_version(
    version: RasVersion,
    *,
    acting_user,
    label: str = "",
    origin=RasVersion.Origin.COPIED,
    definition: dict | None = None,
    notes: str = "",
) -> RasVersion:
    return create_draft(
        version.scheme,
        definition or version.definition,
        acting_user=acting_user,
        label=label,
        origin=origin,
        based_on=version,
        notes=notes,
    )


@action
def save_definition(
    version: RasVersion,
    data: dict,
    *,
    acting_user,
    expected_version=None,
    summary: str = "Changed the definition",
) -> RasVersion:
    """Replace a draft's definition after checking it. Live versions never change."""
    current = lock_at_version(version, expected_version)
    rules.check_changeable(current)
    ras.parse(data)  # raises DefinitionError with every problem
    current.definition = data
    bump(current)
    because(summary[:100])
    current.save()
    audit(current, summary)
    version.refresh_from_db()
    return current


@action
def delete_draft(version: RasVersion, *, acting_user) -> None:
    """Delete a draft that nothing refers to; a draft with runs or assessments is kept."""
    rules.check_changeable(version)
    if (
        version.assessments.exists()
        or version.model_runs.exists()
        or version.calibration_runs.exists()
    ):
        raise ActionError(
            "This draft has runs or assessments, so it is kept for the record",
            code="RAS-DRAFT-IN-USE",
        )
    audit(version, f"Deleted draft version {version.number} of {version.scheme.name}")
    version.delete()


@action
def publish_version(version: RasVersion, effective_from: dt.date, *, acting_user) -> RasVersion:
    """Make a draft live from a date; the version before it stops the day before.

    Refused, with every reason, unless the business rules allow it (allocation/rules.py):
    among them, the publisher is a second person (RAS-SAME-PERSON) and every group the last
    model run flagged has a written justification (RAS-UNJUSTIFIED-GROUP).
    """
    current = RasVersion.objects.select_for_update().get(pk=version.pk)
    problems = rules.publication_problems(current, effective_from, publisher=acting_user)
    if problems:
        raise BusinessRuleViolation(problems)
    today = timezone.localdate()
    for previous in rules.versions_ending_on_or_after(current, effective_from):
        previous.effective_to = effective_from - dt.timedelta(days=1)
        if previous.effective_to < today and previous.status == RasVersion.Status.LIVE:
            previous._retire()
        because(f"Replaced by version {current.number}")
        previous.save()
        audit(
            previous,
            f"Ends on {previous.effective_to:%-d %B %Y}: replaced by version {current.number}",
        )
    current._publish(acting_user, effective_from)
    because("Published")
    current.save()
    audit(current, f"Published version {current.number}, live from {effective_from:%-d %B %Y}")
    version.refresh_from_db()
    # A calibrated version sets its financial year's reserve (envelope × reserve %).
    from budgets.actions import reserve_from_published_version

    reserve_from_published_version(current, acting_user=acting_user)
    return current


@action
def start_model_run(
    version: RasVersion,
    *,
    acting_user,
    envelope: Decimal,
    reserve_percent: Decimal,
    review_fall_percent: Decimal,
    flag_margin_percent: Decimal = Decimal("5"),
) -> ModelRun:
    """Queue a model run of a version over every current eligible person."""
    run = ModelRun.objects.create(
        version=version,
        created_by=acting_user,
        envelope_pence=to_pence(envelope),
        reserve_percent=reserve_percent,
        review_fall_percent=review_fall_percent,
        flag_margin_percent=flag_margin_percent,
    )
    audit(run, f"Asked for a model run of {version}")
    jobs.enqueue(run)
    return run


@action
def justify_group(run: ModelRun, group: str, label: str, text: str, *, acting_user):
    """Write (or rewrite) why a flagged group's different change is justified (s19(2)(d))."""
    from core.rules import check_all

    run = ModelRun.objects.select_related("version").select_for_update().get(pk=run.pk)
    text = text.strip()
    check_all(rules.JUSTIFICATION_RULES, run, group=group, label=label, text=text)
    because("Justification written")
    justification, made = GroupJustification.objects.update_or_create(
        run=run,
        group=group,
        label=label,
        defaults={
            "justification": text,
            "written_by": acting_user if getattr(acting_user, "pk", None) else None,
            "written_at": timezone.now(),
        },
    )
    verb = "Justified" if made else "Changed the justification of"
    audit(justification, f"{verb} the flagged group {group}: {label} on model run {run.pk}")
    return justification


@action
def write_equality_assessment(run: ModelRun, text: str, *, acting_user) -> EqualityAssessment:
    """The commissioner's written assessment of a model run's equality impact (s149)."""
    from core.rules import check_all

    run = ModelRun.objects.select_related("version").select_for_update().get(pk=run.pk)
    text = text.strip()
    check_all(rules.ASSESSMENT_RULES, run, text=text)
    because("Equality assessment written")
    assessment, made = EqualityAssessment.objects.update_or_create(
        run=run,
        defaults={
            "text": text,
            "written_by": acting_user if getattr(acting_user, "pk", None) else None,
            "written_at": timezone.now(),
        },
    )
    audit(
        assessment,
        f"{'Wrote' if made else 'Changed'} the equality assessment of model run {run.pk}",
    )
    return assessment


@action
def start_calibration(
    version: RasVersion,
    *,
    acting_user,
    source: str,
    method: str,
    band_count: int,
    envelope: Decimal,
    reserve_percent: Decimal,
    sample=None,
    sample_name: str = "",
) -> CalibrationRun:
    """Queue a calibration of a version: fit, then scale to the envelope less the reserve.

    Refused (rules.CALIBRATION_RULES) when the fit cannot describe the version: several money
    tables, hours of support at reference rates, or points with decimal places."""
    check_all(rules.CALIBRATION_RULES, version)
    run = CalibrationRun.objects.create(
        version=version,
        created_by=acting_user,
        source=source,
        method=method,
        band_count=band_count,
        envelope_pence=to_pence(envelope),
        reserve_percent=reserve_percent,
        sample=sample.to_json() if sample is not None else None,
        sample_name=sample_name[:200],
    )
    audit(run, f"Asked for a calibration of {version} ({run.get_method_display().lower()})")
    jobs.enqueue(run)
    return run


@action
def ship_default_schemes(*, acting_user=None) -> int:
    """Create the shipped schemes (people's and carers') where no scheme of that kind exists."""
    from .defaults import ensure_default_schemes

    made = ensure_default_schemes()
    for version in RasVersion.objects.filter(origin=RasVersion.Origin.SHIPPED, number=1):
        if made:
            audit(
                version,
                f"Shipped {version.scheme.name}, live from {version.effective_from:%-d %B %Y}",
            )
    if not made:
        scheme = RasScheme.objects.first()
        if scheme is not None:
            audit(scheme, "Checked the shipped schemes: all present")
    return made


@action
def ship_example_schemes(*, acting_user=None) -> list[RasVersion]:
    """Load the example schemes (allocation/defaults.py EXAMPLES) as drafts, where missing."""
    from .defaults import ensure_example_drafts

    made = ensure_example_drafts()
    for version in made:
        ras.parse(version.definition)  # an example the engine cannot score is never loaded
        audit(version, f"Loaded {version.scheme.name} as a draft to study and copy")
    if not made:
        scheme = RasScheme.objects.filter(versions__origin=RasVersion.Origin.SHIPPED).first()
        if scheme is not None:
            audit(scheme, "Checked the example schemes: all present")
    return made


@action
def add_reference_rate(
    service: str,
    *,
    acting_user,
    rate_pence: int,
    effective_from: dt.date,
    notes: str = "",
) -> ReferenceRate:
    """A new reference rate for a service; the rate before it ends the day before it starts,
    so one rate at most is in force on any date."""
    # Lock the service's rates so two commissioners cannot add overlapping ones at once.
    list(ReferenceRate.objects.select_for_update().filter(service=service))
    rate = ReferenceRate(
        service=service,
        rate_pence=rate_pence,
        effective_from=effective_from,
        notes=notes.strip(),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    check_all(rules.RATE_RULES, rate)
    day_before = effective_from - dt.timedelta(days=1)
    for previous in ReferenceRate.objects.filter(service=service).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)
    ):
        previous.effective_to = day_before
        because(f"Replaced by the rate from {effective_from:%-d %B %Y}")
        previous.save()
        audit(previous, f"{previous.label} rate ends on {day_before:%-d %B %Y}")
    because("New reference rate")
    rate.save()
    audit(
        rate,
        f"{rate.label} rate of {format_pence(rate_pence)} {rate.per} from "
        f"{effective_from:%-d %B %Y}",
    )
    return rate


@action
def end_reference_rate(rate: ReferenceRate, *, acting_user, end_date: dt.date) -> ReferenceRate:
    """Stop a rate on a date (a service the council no longer buys), with no rate after it."""
    current = ReferenceRate.objects.select_for_update().get(pk=rate.pk)
    check_all((rules.RateEndsAfterItStarts,), current, end_date=end_date)
    current.effective_to = end_date
    because("Rate ended")
    current.save()
    audit(current, f"{current.label} rate ends on {end_date:%-d %B %Y}")
    rate.refresh_from_db()
    return current


@action
def ship_reference_rates(*, acting_user=None) -> int:
    """Create the shipped (illustrative) reference rate for each service that has none."""
    from .defaults import ensure_reference_rates

    made = ensure_reference_rates()
    for rate in made:
        audit(rate, f"Shipped the {rate.label.lower()} reference rate")
    if not made:
        first = ReferenceRate.objects.first()
        if first is not None:
            audit(first, "Checked the shipped reference rates: every service has a rate")
    return len(made)
