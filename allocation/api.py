"""The RAS in the API: list versions, read one, add a draft version to a scheme from a
`selfdirect-ras/2` definition, score a set of answers with it, read the published JSON Schema
of the format, and read the council's reference rates."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from config.api_errors import READ_ERRORS, WRITE_ERRORS, Message
from core.actions import ActionError
from core.money import pounds_text
from core.rules import BusinessRuleViolation

from . import actions
from .domain import definition as ras
from .domain import engine
from .domain import rates as catalogue
from .domain import schema as ras_schema
from .domain.definition import to_dict
from .domain.explanation import line_json, points_json
from .models import RasScheme, RasVersion, ReferenceRate
from .views.common import manages_ras

router = Router()
MAX_ID = 2**63 - 1  # ids are bigints: larger numbers name nothing
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POUNDS = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
RESERVE = r"^(50(\.0{1,2})?|[1-4]?[0-9](\.[0-9]{1,2})?)$"  # 0 to 50, up to 2 places


class VersionOut(Schema):
    id: int
    scheme_id: int
    scheme: str
    kind: str
    number: int
    label: str
    status: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    method: str
    period: str


class VersionDetail(VersionOut):
    definition: dict[str, Any]


class VersionCreated(VersionDetail):
    conversion: list[str] = Field(
        ...,
        description="How a selfdirect-ras/1 definition was converted to selfdirect-ras/2, in "
        "words; empty when it was already selfdirect-ras/2.",
    )


class NewVersionIn(Schema):
    label: str = Field("", max_length=100, description="For example, ‘2027/28 proposal’")
    definition: dict[str, Any] = Field(
        ...,
        description="The version's definition, as `ras_export` prints it (selfdirect-ras/2, "
        "whose JSON Schema is at /api/v1/ras/schema.json; selfdirect-ras/1 is converted).",
    )


class ScorePersonIn(Schema):
    age: int | None = Field(None, ge=0, le=ras_schema.MAX_AGE, description="In whole years")
    primary_support_reason: str | None = Field(
        None, description="The Client Level Data primary support reason code"
    )
    client_type: str | None = Field(None, description="The Client Level Data client type code")

    @field_validator("primary_support_reason")
    @classmethod
    def _known_reason(cls, value):
        if value is not None and value not in ras_schema.PRIMARY_SUPPORT_REASONS:
            raise ValueError(
                "Use a primary support reason code: "
                + ", ".join(ras_schema.PRIMARY_SUPPORT_REASONS)
            )
        return value

    @field_validator("client_type")
    @classmethod
    def _known_type(cls, value):
        if value is not None and value not in ras_schema.CLIENT_TYPES:
            raise ValueError("Use a client type code: " + ", ".join(ras_schema.CLIENT_TYPES))
        return value


class ScoreIn(Schema):
    answers: dict[str, str | list[str]] = Field(
        ...,
        description=(
            "Every question the answers lead to must be answered: one entry for each "
            "question, from the question's code to the code of the option chosen. A "
            "multiple-choice question takes a list of option codes (perhaps empty). A "
            "conditional question (`asked_when`) whose condition does not hold is not asked: "
            "leave it out (an answer to it is ignored, and a `not_asked` line says so). A "
            "missing answer, or an unknown question or option code, is refused with 422 "
            "naming each."
        ),
    )
    unable_outcomes: list[str] | None = Field(
        None,
        description="The outcomes an eligibility decision found unmet: only needs linked to "
        "them count (Care Act 2014 s26). Leave it out for a provisional amount.",
    )
    person: ScorePersonIn | None = Field(
        None,
        description="The person's age, primary support reason and client type, used to "
        "choose the money table of a version that has tables for groups; 422 when the "
        "version needs a detail that is missing.",
    )


class LineOut(Schema):
    kind: str
    domain: str | None
    question_code: str | None
    question: str | None
    option_code: str | None
    answer: str | None
    points: int | float | None = Field(description="Whole, or with up to two decimal places")
    amount: str | None
    text: str
    service: str | None = Field(
        None, description="Cost-rate lines: the service the answer's units are of"
    )
    units: str | None = Field(None, description="Cost-rate lines: units of the service a period")
    rate: str | None = Field(None, description="Cost-rate lines: the reference rate, a unit")


class CarerAmountOut(Schema):
    points: int = Field(description="The carer points of the answers about family support")
    amount: str | None = Field(
        description="The carer's own amount, or null for none (the band gives none, or the "
        "person helping cannot or will not go on)"
    )
    period: str
    rule: str
    title: str
    words: str = Field(description="A band with no amount: what it means")
    stopped: bool = Field(description="An answer says the person helping cannot or will not go on")


class ScoreOut(Schema):
    points: int | float = Field(description="Net points: whole, or with up to two decimal places")
    need_points: int | float
    reduction_points: int | float
    provisional: bool
    at_maximum: bool
    costed_plan_route: list[str]
    money_table: str = Field(
        description="The code of the money table that gave the amount (with money tables by "
        "group, the first whose group fits `person`)"
    )
    weekly_amount: str | None
    amount: str | None = Field(
        description="Pounds, 2 decimal places; null when the points fall in a band with no "
        "indicative amount (which is not £0): `no_amount_words` says what it means"
    )
    no_amount_words: str = Field("", description="A band with no indicative amount: its words")
    period: str
    rule: str
    limit: str | None
    support_amount: str | None = Field(
        None,
        description="The part of the amount from hours (days, nights...) of support at the "
        "council's reference rates, for a version with cost-rate answers",
    )
    carer_amount: CarerAmountOut | None = Field(
        None,
        description="For a version whose family-support answers give the carer an amount of "
        "their own (method carer_allocation): that amount, apart from the person's; null "
        "otherwise, or when nobody gives support that scores",
    )
    lines: list[LineOut]
    version: VersionOut


def _visible(request):
    versions = RasVersion.objects.select_related("scheme")
    return versions if manages_ras(request.auth) else versions.published()


def _summary(version: RasVersion) -> dict:
    definition = version.parsed
    return {
        "id": version.pk,
        "scheme_id": version.scheme_id,
        "scheme": version.scheme.name,
        "kind": version.scheme.kind,
        "number": version.number,
        "label": version.label,
        "status": version.status,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "method": definition.allocation.method,
        "period": definition.period,
    }


def _get(request, version_id: int) -> RasVersion:
    version = _visible(request).filter(pk=version_id).first()
    if version is None:
        raise HttpError(404, "Not found")
    return version


@router.get(
    "/versions", response={200: list[VersionOut], **READ_ERRORS}, summary="List RAS versions"
)
def list_versions(request):
    """Live and retired versions for everyone; drafts too for those who manage schemes."""
    return [_summary(v) for v in _visible(request).order_by("scheme__kind", "-number")]


@router.get(
    "/versions/{version_id}",
    response={200: VersionDetail, **READ_ERRORS},
    summary="Read a RAS version",
)
def get_version(request, version_id: int = Path(..., ge=1, le=MAX_ID)):
    """The version with its whole definition: questions, options, points and the money rule."""
    version = _get(request, version_id)
    return {**_summary(version), "definition": to_dict(version.parsed)}


@router.post(
    "/versions/{version_id}/score",
    response={200: ScoreOut, **WRITE_ERRORS},
    summary="Score a set of answers",
)
def score(request, body: ScoreIn, version_id: int = Path(..., ge=1, le=MAX_ID)):
    """Points, the amount and every line that explains it. With `unable_outcomes` (the
    outcomes an eligibility decision found unmet) only the needs linked to them count;
    without, every need counts and the amount is provisional. `at_maximum` says the amount is the scheme's
    maximum; `costed_plan_route` lists the questions whose answers are complex needs, which
    send the person to a costed plan (the final budget is the cost of the support plan and
    this amount only a guide), empty otherwise. Points may have two decimal places. When the
    points fall in a band with no indicative amount, `amount` is null (not "0.00") and
    `no_amount_words` gives the band's words; a `not_asked` line names each answer given to
    a conditional question that was not asked (it counts for nothing).

    Every question must be answered; unknown or missing question and option codes, and
    answers that contradict each other, are refused with 422, naming each one: each item of
    `detail` has `type` (unknown_question, unknown_option, missing_answer,
    contradictory_answers, unknown_outcome, missing_person, no_money_table or
    no_reference_rate), `code`, `question` and a plain-English
    `message`."""
    version = _get(request, version_id)
    scheme = version.compiled
    person = body.person.dict() if body.person is not None else {}
    missing = [need for need in version.parsed.person_needs if person.get(need) is None]
    if missing:
        return Status(
            422,
            {
                "detail": [
                    {
                        "type": "missing_person",
                        "code": need,
                        "question": None,
                        "message": f"This version chooses its money table by the person's "
                        f"{need.replace('_', ' ')}: send it in `person.{need}`",
                    }
                    for need in missing
                ]
            },
        )
    if body.unable_outcomes is not None:
        unknown = sorted(set(body.unable_outcomes) - set(scheme.outcome_codes))
        if unknown:
            return Status(
                422,
                {
                    "detail": [
                        {
                            "type": "unknown_outcome",
                            "code": code,
                            "question": None,
                            "message": f"{code!r} is not an outcome this version knows: use "
                            f"{', '.join(scheme.outcome_codes)}",
                        }
                        for code in unknown
                    ]
                },
            )
    unable = None if body.unable_outcomes is None else frozenset(body.unable_outcomes)
    try:
        explanation = engine.explain(
            scheme, body.answers, unable_outcomes=unable, person=person or None
        )
    except engine.AnswerError as error:
        problems = [
            {
                "type": p["type"],
                "code": p["code"],
                "question": p.get("question"),
                "message": p["message"],
            }
            for p in error.problems
        ]
        return Status(422, {"detail": problems})
    amount = None if explanation.amount is None else f"{explanation.amount:.2f}"
    return {
        "points": points_json(explanation.total_points),
        "need_points": points_json(explanation.need_points),
        "reduction_points": points_json(explanation.reduction_points),
        "weekly_amount": amount if explanation.period == "week" else None,
        "amount": amount,
        "no_amount_words": explanation.no_amount_words,
        "period": explanation.period,
        "rule": explanation.rule_text,
        "limit": explanation.limit,
        "provisional": explanation.provisional,
        "at_maximum": explanation.at_maximum,
        "costed_plan_route": list(explanation.costed_plan_route),
        "money_table": explanation.money_table,
        "support_amount": None
        if explanation.support_amount is None
        else f"{explanation.support_amount:.2f}",
        "carer_amount": _carer_json(explanation.carer),
        "lines": [line_json(line) for line in explanation.lines],
        "version": _summary(version),
    }


def _carer_json(carer) -> dict | None:
    if carer is None:
        return None
    return {
        "points": carer.points,
        "amount": None if carer.amount is None else f"{carer.amount:.2f}",
        "period": carer.period,
        "rule": carer.rule_text,
        "title": carer.title,
        "words": carer.words,
        "stopped": carer.stopped,
    }


@router.get(
    "/schema.json",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="The JSON Schema of a RAS definition",
    openapi_extra={
        "responses": {
            200: {
                "description": "The JSON Schema (draft 2020-12)",
                "content": {"application/schema+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def definition_schema(request):
    """The JSON Schema (draft 2020-12) of `selfdirect-ras/2`, the format `ras_export` prints
    and version import reads: any key it does not list is refused."""
    return HttpResponse(
        ras_schema.published_json(), content_type="application/schema+json; charset=utf-8"
    )


def _problem_items(error: ras.DefinitionError, prefix: str = "$.definition") -> list[dict]:
    return [
        {
            "type": "invalid_definition",
            "path": prefix + item["path"][1:],
            "message": item["message"],
        }
        for item in error.items
    ]


@router.post(
    "/schemes/{scheme_id}/versions",
    response={201: VersionCreated, 403: Message, **WRITE_ERRORS},
    summary="Add a draft version to a scheme",
)
def create_version(request, body: NewVersionIn, scheme_id: int = Path(..., ge=1, le=MAX_ID)):
    """A new draft version of the scheme from a definition (commissioners and
    administrators). 201 with the version; 422 when the definition is not valid, with every
    problem in `detail`, each with `type` `invalid_definition`, the JSON `path` of the problem
    in the request body (like `$.definition.domains[0].questions[1].options[0].points`) and a
    plain-English `message`: nothing is kept. A `selfdirect-ras/1` definition is converted
    and saved as `selfdirect-ras/2`; `conversion` says what changed."""
    user = request.auth
    scheme = RasScheme.objects.visible_to(user).filter(pk=scheme_id).first()
    if scheme is None:
        raise HttpError(404, "Not found")
    if not user.has_perm("allocation.add_rasversion"):
        raise HttpError(403, "Only commissioners and administrators add RAS versions")
    try:
        # Read the body again with the scheme file's bounds: numbers as exact decimals (never
        # floats), none too long, nesting limited.
        document = ras.load_json(request.body.decode("utf-8"))
        parsed = ras.parse(document.get("definition") if isinstance(document, dict) else None)
    except UnicodeDecodeError:
        return Status(422, {"detail": [_item_at("$", "The body must be UTF-8 JSON")]})
    except ras.DefinitionError as error:
        return Status(422, {"detail": _problem_items(error)})
    if parsed.kind != scheme.kind:
        return Status(
            422,
            {
                "detail": [
                    _item_at(
                        "$.definition.kind",
                        f"This scheme is for {scheme.kind}s' needs: the definition must have "
                        f"kind {scheme.kind!r}",
                    )
                ]
            },
        )
    try:
        version = actions.create_draft(
            scheme,
            to_dict(parsed),
            acting_user=user,
            label=body.label,
            origin=RasVersion.Origin.IMPORTED,
            notes=" ".join(parsed.conversion),
        )
    except ActionError as error:
        return Status(422, {"detail": [_item_at("$", error.message)]})
    return Status(
        201,
        {
            **_summary(version),
            "definition": to_dict(version.parsed),
            "conversion": list(parsed.conversion),
        },
    )


class CalibrationIn(Schema):
    method: Literal["ols", "ols0", "lad", "bands"] = Field(
        ...,
        description="ols: least squares with a fixed amount; ols0: least squares, no fixed "
        "amount; lad: least absolute deviation; bands: bands fitted from the data",
    )
    band_count: int = Field(10, ge=2, le=30, description="Number of bands, for `bands`")
    envelope: str = Field(
        ...,
        pattern=POUNDS,
        description="What the council can spend a year on these budgets, in pounds",
    )
    reserve_percent: str = Field(
        "5", pattern=RESERVE, description="Held back from the envelope, 0 to 50 per cent"
    )


class CalibrationOut(Schema):
    id: int
    version_id: int
    status: str
    method: str
    source: str
    envelope: str  # pounds, "1250000.00"
    reserve_percent: str


@router.post(
    "/versions/{version_id}/calibrations",
    response={202: CalibrationOut, 403: Message, **WRITE_ERRORS},
    summary="Start a calibration of a version",
)
def start_calibration(request, body: CalibrationIn, version_id: int = Path(..., ge=1, le=MAX_ID)):
    """Queue a calibration of the version against the current people's budgets
    (commissioners and administrators): fit the points-to-money rule to what the packages
    cost, then scale it to the envelope less the reserve; the result is saved as a new
    draft. 202 with the queued run. 422 when calibration cannot fit this version (several
    money tables, hours of support at reference rates, or points with decimal places): each
    item of `detail` has `type` `rule`, the rule's `code` (RAS-CALIBRATE-TABLES,
    RAS-CALIBRATE-HOURS, RAS-CALIBRATE-HUNDREDTHS) and a plain-English `message`; nothing is
    queued."""
    user = request.auth
    version = _get(request, version_id)
    if not user.has_perm("allocation.model_rasversion"):
        raise HttpError(403, "Only commissioners and administrators calibrate RAS versions")
    try:
        run = actions.start_calibration(
            version,
            acting_user=user,
            source="database",
            method=body.method,
            band_count=body.band_count,
            envelope=Decimal(body.envelope),
            reserve_percent=Decimal(body.reserve_percent),
        )
    except BusinessRuleViolation as error:
        return Status(422, {"detail": [_rule_item(p.code, p.message) for p in error.problems]})
    return Status(
        202,
        {
            "id": run.pk,
            "version_id": version.pk,
            "status": run.status,
            "method": run.method,
            "source": run.source,
            "envelope": pounds_text(run.envelope_pence),
            "reserve_percent": str(run.reserve_percent),
        },
    )


def _rule_item(code: str, message: str) -> dict:
    return {"type": "rule", "code": code, "message": message}


def _item_at(path: str, message: str) -> dict:
    return {"type": "invalid_definition", "path": path, "message": message}


class RatesQuery(Schema):
    on: dt.date | None = Field(None, description="A date, YYYY-MM-DD; today if left out")

    @field_validator("on", mode="before")
    @classmethod
    def _iso_date(cls, value):
        # Only YYYY-MM-DD: pydantic would also read a number as seconds since 1970.
        if value is not None and not (isinstance(value, str) and ISO_DATE.match(value)):
            raise ValueError("Give the date as YYYY-MM-DD")
        return value


class ReferenceRateOut(Schema):
    service: str
    label: str
    unit: str
    rate: str  # pounds, "28.00"
    effective_from: dt.date
    effective_to: dt.date | None


@router.get(
    "/reference-rates",
    response={200: list[ReferenceRateOut], **READ_ERRORS},
    summary="The council's reference rates",
)
def reference_rates(request, query: Query[RatesQuery]):
    """The rates in force on a date (`?on=YYYY-MM-DD`; today if left out): what a unit of
    each kind of support costs the council (an hour of home care, a waking night, a week in a
    care home...), in pounds, with the unit and the dates the rate is in force."""
    day = query.on
    rates = ReferenceRate.objects.visible_to(request.auth).on(day)
    by_service = {rate.service: rate for rate in rates}
    return [
        {
            "service": service.code,
            "label": service.label,
            "unit": service.unit,
            "rate": pounds_text(rate.rate_pence),
            "effective_from": rate.effective_from,
            "effective_to": rate.effective_to,
        }
        for service in catalogue.SERVICES
        if (rate := by_service.get(service.code)) is not None
    ]
