"""Business rules for RAS versions: each a code and a message (core.rules).

Publishing a version is the decision that changes everyone's indicative budget, so it is
guarded by named rules; the builder's task list reads their codes.
"""

from django.db.models import Q

from core.rules import BusinessRule, Problem, check_all

from .domain import definition as ras

# Codes of the definition's own rules (allocation/domain/definition.py), by builder task.
QUESTION_CODES = {
    "RAS-NO-QUESTIONS",
    "RAS-NO-SCORING-QUESTION",
    "RAS-POINTS-ORDER",
    "RAS-REDUCTIONS-ORDER",
    "RAS-NO-INFORMAL-CAP",
    "RAS-NEED-NO-OUTCOME",
    "RAS-NO-REDUCTION-ORDER",
    "RAS-CONDITIONAL-SUPPORT-REDUCES-MORE",
}
ALLOCATION_CODES = {"RAS-NO-PRICE", "RAS-TABLES-GAP"}
INFORMAL_CODES = {"RAS-NO-INFORMAL-CAP", "RAS-INFORMAL-NOTHING-TO-REDUCE"}


class OnlyDraftsChange(BusinessRule):
    """A live or retired version cannot be changed: copy it to a new draft"""

    code = "RAS-FROZEN"

    def broken_by(self, version, **context) -> bool:
        return not version.is_draft


class OnlyDraftsArePublished(BusinessRule):
    """Only a draft can be published"""

    code = "RAS-NOT-DRAFT"

    def broken_by(self, version, **context) -> bool:
        return not version.is_draft


class KindMatchesScheme(BusinessRule):
    """The definition is for a different kind of assessment than the scheme"""

    code = "RAS-KIND-MISMATCH"

    def broken_by(self, version, **context) -> bool:
        return version.parsed.kind != version.scheme.kind


class ModelledFirst(BusinessRule):
    """Model this version over every current person first: it needs a completed model run"""

    code = "RAS-NOT-MODELLED"

    def broken_by(self, version, **context) -> bool:
        return version.latest_model_run() is None


class HasStartDate(BusinessRule):
    """Enter the date the version comes into force"""

    code = "RAS-NO-START-DATE"

    def broken_by(self, version, *, effective_from=None, **context) -> bool:
        return effective_from is None


class StartsAfterEveryPublishedVersion(BusinessRule):
    """Choose a start date after every published version of this scheme"""

    code = "RAS-START-CLASH"

    def _clash(self, version, effective_from):
        from .models import RasVersion

        return (
            RasVersion.objects.published()
            .filter(scheme_id=version.scheme_id, effective_from__gte=effective_from)
            .exclude(pk=version.pk)
            .order_by("-effective_from")
            .first()
        )

    def broken_by(self, version, *, effective_from=None, **context) -> bool:
        return effective_from is not None and self._clash(version, effective_from) is not None

    def message(self, version, *, effective_from=None, **context) -> str:
        clash = self._clash(version, effective_from)
        return f"{clash} already starts on {clash.effective_from:%-d %B %Y}: choose a later date"


def authors(version) -> set[int]:
    """Who made this version what it is: whoever made the draft, whoever ran the calibration
    that made it, and whoever changed its definition since."""
    from .models import CalibrationRun

    ids = {version.created_by_id}
    ids |= set(CalibrationRun.objects.filter(draft=version).values_list("created_by_id", flat=True))
    ids |= set(
        version.history.filter(status="draft", history_type="~").values_list(
            "history_user_id", flat=True
        )
    )
    return {pk for pk in ids if pk is not None}


class PublisherIsNotTheAuthor(BusinessRule):
    """Someone else must publish this version: a version is published by a second person, not
    by whoever made it, calibrated it or changed it"""

    # Four eyes on the decision that changes everyone's indicative budget: the author proposes,
    # another commissioner checks the equality impact and confirms.
    code = "RAS-SAME-PERSON"

    def broken_by(self, version, *, publisher=None, **context) -> bool:
        return publisher is not None and getattr(publisher, "pk", None) in authors(version)


class FlaggedGroupsAreJustified(BusinessRule):
    """Write a justification for every flagged group on the model run before publishing"""

    # Equality Act 2010 s19: a rule that puts people who share a protected characteristic at
    # a particular disadvantage is indirect discrimination unless it is a proportionate means
    # of achieving a legitimate aim; s149 asks for due regard before the decision, so the
    # reasons are written down first.
    code = "RAS-UNJUSTIFIED-GROUP"

    def _missing(self, version):
        run = version.latest_model_run()
        return run.unjustified_flags() if run is not None else []

    def broken_by(self, version, **context) -> bool:
        return bool(self._missing(version))

    def message(self, version, **context) -> str:
        missing = self._missing(version)
        names = "; ".join(f"{flag['group']}: {flag['label']}" for flag in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        return (
            "Write a justification for every flagged group on the model run before "
            f"publishing ({names}{more})"
        )


class PricesEveryService(BusinessRule):
    """Add a reference rate for every service the version's answers give hours of"""

    # The cost-rate answers are priced at the council's reference rates on the day
    # (statutory guidance 11.22-11.28: the amount must be enough to meet the needs), so each
    # service they name needs a rate in force from the start date.
    code = "RAS-NO-REFERENCE-RATE"

    def _missing(self, version, effective_from) -> list[str]:
        from .domain import rates as catalogue
        from .models import ReferenceRate

        needed = version.parsed.services
        if not needed:
            return []
        have = ReferenceRate.objects.in_force(on=effective_from)
        return [catalogue.BY_CODE[code].label.lower() for code in needed if code not in have]

    def broken_by(self, version, *, effective_from=None, **context) -> bool:
        return bool(self._missing(version, effective_from))

    def message(self, version, *, effective_from=None, **context) -> str:
        when = f"{effective_from:%-d %B %Y}" if effective_from else "today"
        return (
            "Add a reference rate in force on "
            f"{when} for {', '.join(self._missing(version, effective_from))}: this version's "
            "answers give hours of it, priced at the rate"
        )


PUBLICATION_RULES = (
    OnlyDraftsArePublished,
    KindMatchesScheme,
    ModelledFirst,
    FlaggedGroupsAreJustified,
    PublisherIsNotTheAuthor,
    HasStartDate,
    StartsAfterEveryPublishedVersion,
    PricesEveryService,
)


def definition_problems(version) -> list[Problem]:
    return [Problem(code, message) for code, message in ras.publication_problems(version.parsed)]


def publication_problems(version, effective_from=None, publisher=None) -> list[Problem]:
    """Every reason this version cannot be published from that date by that person, each
    with its code."""
    from core.rules import problems

    return definition_problems(version) + problems(
        PUBLICATION_RULES, version, effective_from=effective_from, publisher=publisher
    )


# --- What calibration can fit --------------------------------------------------------------
#
# Calibration (allocation/domain/calibration.py) fits one points-to-money rule to what real
# packages cost, in whole points, and scales it so the caseload costs the envelope less the
# reserve: the council must be able to show the amounts are enough to meet needs and that
# the method is transparent (Care and Support Statutory Guidance 11.22-11.28). A version the
# fit cannot describe is refused before a run starts, so nobody waits for a run that fails
# or, from the command line, gets a draft that silently drops a table.


class CalibrationFitsOneTable(BusinessRule):
    """Calibration fits one points-to-money rule, and this version has money tables by
    group: set each table's amounts by hand and model the version, or calibrate a version
    with one table"""

    code = "RAS-CALIBRATE-TABLES"

    def broken_by(self, version, **context) -> bool:
        return len(version.parsed.tables) > 1


class CalibrationFitsPointsOnly(BusinessRule):
    """Calibration fits only the points-to-money rule, and this version's answers give hours
    of support priced at the council's reference rates: set the rates and the points' prices
    by hand and model the version"""

    code = "RAS-CALIBRATE-HOURS"

    def broken_by(self, version, **context) -> bool:
        return bool(version.parsed.services)


class CalibrationFitsWholePoints(BusinessRule):
    """Calibration fits whole points, and this version has points with decimal places: set
    the money rule by hand and model the version"""

    code = "RAS-CALIBRATE-HUNDREDTHS"

    def broken_by(self, version, **context) -> bool:
        return version.parsed.points_scale != 1


CALIBRATION_RULES = (CalibrationFitsOneTable, CalibrationFitsPointsOnly, CalibrationFitsWholePoints)


def calibration_problems(version) -> list[Problem]:
    """Every reason calibration cannot fit this version (empty when it can)."""
    from core.rules import problems

    return problems(CALIBRATION_RULES, version)


# --- A model run's equality record ------------------------------------------------------------


class RunRecordIsOpen(BusinessRule):
    """The version this run modelled is published: its equality record can no longer change"""

    code = "RAS-RUN-FROZEN"

    def broken_by(self, run, **context) -> bool:
        return not run.version.is_draft


class JustifiesAFlaggedGroup(BusinessRule):
    """Only a group the model run flagged needs a justification"""

    code = "RAS-NOT-FLAGGED"

    def broken_by(self, run, *, group=None, label=None, **context) -> bool:
        return {"group": group, "label": label} not in run.flags


class JustificationIsWritten(BusinessRule):
    """Write the justification: at least a sentence saying why the difference is a
    proportionate means of achieving a legitimate aim"""

    code = "RAS-JUSTIFICATION-TOO-SHORT"
    SHORTEST = 20

    def broken_by(self, run, *, text="", **context) -> bool:
        return len(" ".join((text or "").split())) < self.SHORTEST


JUSTIFICATION_RULES = (RunRecordIsOpen, JustifiesAFlaggedGroup, JustificationIsWritten)
ASSESSMENT_RULES = (RunRecordIsOpen, JustificationIsWritten)


def check_changeable(version) -> None:
    check_all((OnlyDraftsChange,), version)


def versions_ending_on_or_after(version, effective_from):
    """The published versions of the scheme still in force on or after a date."""
    from .models import RasVersion

    return (
        RasVersion.objects.published()
        .filter(scheme_id=version.scheme_id)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from))
    )


# --- reference rates ---------------------------------------------------------------------


class RateIsForAKnownService(BusinessRule):
    """Choose one of the services the council prices"""

    code = "RATE-UNKNOWN-SERVICE"

    def broken_by(self, rate, **context) -> bool:
        from .domain import rates

        return rate.service not in rates.BY_CODE


class RateIsAboveZero(BusinessRule):
    """Enter a rate of more than £0.00"""

    code = "RATE-NOT-POSITIVE"

    def broken_by(self, rate, **context) -> bool:
        return rate.rate_pence is None or rate.rate_pence <= 0


class RateStartsAfterTheLatest(BusinessRule):
    """A new rate must start after the latest rate for the service: rates are never changed,
    only followed by a new one"""

    code = "RATE-START-CLASH"

    def _latest(self, rate):
        from .models import ReferenceRate

        return (
            ReferenceRate.objects.filter(service=rate.service)
            .exclude(pk=rate.pk)
            .order_by("-effective_from")
            .first()
        )

    def broken_by(self, rate, **context) -> bool:
        latest = self._latest(rate)
        return (
            latest is not None
            and rate.effective_from is not None
            and rate.effective_from <= latest.effective_from
        )

    def message(self, rate, **context) -> str:
        latest = self._latest(rate)
        return (
            f"The {latest.label.lower()} rate of {latest} already starts on "
            f"{latest.effective_from:%-d %B %Y}: a new rate must start after that"
        )


class RateEndsAfterItStarts(BusinessRule):
    """A rate cannot end before it starts"""

    code = "RATE-ENDS-BEFORE-START"

    def broken_by(self, rate, *, end_date=None, **context) -> bool:
        return end_date is not None and end_date < rate.effective_from


RATE_RULES = (RateIsForAKnownService, RateIsAboveZero, RateStartsAfterTheLatest)
