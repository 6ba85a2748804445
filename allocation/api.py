"""The RAS in the API: list versions, read one, and score a set of answers with it."""

import datetime as dt
from typing import Any

from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError

from config.api_errors import READ_ERRORS, WRITE_ERRORS

from .domain import engine
from .domain.definition import to_dict
from .domain.explanation import line_json
from .models import RasVersion
from .views.common import manages_ras

router = Router()
MAX_ID = 2**63 - 1  # ids are bigints: larger numbers name nothing


class VersionOut(Schema):
    id: int
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


class ScoreIn(Schema):
    answers: dict[str, str] = Field(
        ...,
        description=(
            "Every question of the version must be answered: one entry for each question, "
            "from the question's code to the code of the option chosen. A missing answer, or "
            "an unknown question or option code, is refused with 422 naming each."
        ),
    )


class LineOut(Schema):
    kind: str
    domain: str | None
    question_code: str | None
    question: str | None
    option_code: str | None
    answer: str | None
    points: int | None
    amount: str | None
    text: str


class ScoreOut(Schema):
    points: int
    need_points: int
    reduction_points: int
    weekly_amount: str | None
    amount: str
    period: str
    rule: str
    limit: str | None
    lines: list[LineOut]
    version: VersionOut


def _visible(request):
    versions = RasVersion.objects.select_related("scheme")
    return versions if manages_ras(request.auth) else versions.published()


def _summary(version: RasVersion) -> dict:
    definition = version.parsed
    return {
        "id": version.pk,
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
    """Points, the amount and every line that explains it. Every question must be answered;
    unknown or missing question and option codes are refused with 422, naming each one:
    each item of `detail` has `type` (unknown_question, unknown_option or missing_answer),
    `code`, `question` and a plain-English `message`."""
    version = _get(request, version_id)
    try:
        explanation = engine.explain(version.compiled, body.answers)
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
    amount = f"{explanation.amount:.2f}"
    return {
        "points": explanation.total_points,
        "need_points": explanation.need_points,
        "reduction_points": explanation.reduction_points,
        "weekly_amount": amount if explanation.period == "week" else None,
        "amount": amount,
        "period": explanation.period,
        "rule": explanation.rule_text,
        "limit": explanation.limit,
        "lines": [line_json(line) for line in explanation.lines],
        "version": _summary(version),
    }
