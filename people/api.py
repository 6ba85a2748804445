"""People in the API: the same filters, the same visibility, the same access log as the pages."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from accounts.models import AccessEvent
from config.api_errors import READ_ERRORS, WRITE_ERRORS, Message
from core.concurrency import EditConflict

from . import access, actions, codes, domain
from .forms import FLAG_FIELDS, PersonForm
from .models import Person

router = Router()
FLAG_NAMES = [name for name, _label in FLAG_FIELDS]

PrimarySupportReason = Literal[tuple(code for code, _ in codes.PRIMARY_SUPPORT_REASONS)]
# Writing: the list, or "" for a carer's own record (which has none).
SupportReasonIn = Literal[("", *(code for code, _ in codes.PRIMARY_SUPPORT_REASONS))]
ClientType = Literal[tuple(code for code, _ in codes.CLIENT_TYPES)]


def _choices(items):
    return Literal[tuple(code for code, _ in items)]


AgeBand = Literal[tuple(domain.AGE_BAND_CODES)]


class TeamOut(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    council_person_id: str
    nhs_number: str | None
    title: str
    first_name: str
    middle_names: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date
    date_of_death: dt.date | None
    age: int
    age_band: str
    client_group: str
    sex: str = Field(description="Client Level Data 'Gender': female, male or not_known")
    gender_identity: str
    ethnicity: str
    religion: str
    sexual_orientation: str
    legal_partnership_status: str
    pregnancy_maternity: str
    client_type: ClientType
    primary_support_reason: str = Field(description="Empty for a carer's own record")
    has_dementia: bool
    has_visual_impairment: bool
    has_hearing_impairment: bool
    has_autism: bool
    has_unpaid_carer: bool
    capacity: str
    representative_id: int | None
    team: TeamOut | None
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    phone: str
    email: str
    preferred_contact: str
    updated_at: dt.datetime
    edit_version: int

    @staticmethod
    def resolve_age(obj):
        return obj.age()


class CaringOut(Schema):
    carer_id: int
    cared_for_id: int
    started: dt.date
    ended: dt.date | None


class PersonDetailOut(PersonOut):
    """One person's record, with the caring relationships either way."""

    caring_relationships: list[CaringOut]

    @staticmethod
    def resolve_caring_relationships(obj):
        return list(obj.cares_for.all()) + list(obj.cared_for_by.all())


class PeoplePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[PersonOut]


NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"  # PostgreSQL refuses NUL; nothing else needs them


class PeopleQuery(Schema):
    name: str = Field(
        "",
        max_length=100,
        pattern=NO_CONTROL_CHARACTERS,
        description="Words that must each appear in the name",
    )
    nhs_number: str = Field("", max_length=20, pattern=r"^[0-9 -]*$")
    council_person_id: str = Field("", max_length=20, pattern=r"^[A-Za-z0-9-]*$")
    postcode: str = Field(
        "",
        max_length=10,
        pattern=r"^[A-Za-z0-9 ]*$",
        description="A full postcode, or the start of one",
    )
    primary_support_reason: PrimarySupportReason | None = None
    age_band: AgeBand | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=100)


@router.get("", response={200: PeoplePage, **READ_ERRORS}, summary="List the people you may see")
def list_people(request, query: Query[PeopleQuery]):
    """Paged, with the caseload's filters. Each person returned is logged as read."""
    user = request.auth
    filters = query.dict(exclude={"page", "page_size"}, exclude_none=True)
    filters = {key: value for key, value in filters.items() if value != ""}
    people = Person.objects.visible_to(user).matching(**filters).select_related("team")
    count = people.count()
    pages = max(1, -(-count // query.page_size))
    start = (query.page - 1) * query.page_size
    items = list(people[start : start + query.page_size])
    access.log_listing(user, items, via="api:list_people", action=AccessEvent.Action.API_LIST)
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": pages,
        "items": items,
    }


class PersonIn(Schema):
    """A person's record as the API writes it: the same fields and checks as the pages."""

    council_person_id: str = Field("", max_length=20)
    nhs_number: str | None = Field(None, max_length=20)
    title: str = Field("", max_length=20)
    first_name: str = Field(..., max_length=100)
    middle_names: str = Field("", max_length=100)
    last_name: str = Field(..., max_length=100)
    preferred_name: str = Field("", max_length=100)
    date_of_birth: dt.date
    date_of_death: dt.date | None = None
    sex: _choices(codes.SEXES)
    gender_identity: _choices(codes.GENDER_IDENTITY) = "not_asked"
    ethnicity: _choices(codes.ETHNIC_GROUPS) = "not_stated"
    religion: _choices(codes.RELIGIONS) = "not_asked"
    sexual_orientation: _choices(codes.SEXUAL_ORIENTATIONS) = "not_asked"
    legal_partnership_status: _choices(codes.LEGAL_PARTNERSHIP) = "not_asked"
    pregnancy_maternity: _choices(codes.PREGNANCY_MATERNITY) = "not_asked"
    client_type: ClientType = "service_user"
    primary_support_reason: SupportReasonIn | None = Field(
        None,
        description="Defaults to 'unknown' for a service user and to '' (none) for a carer",
    )
    has_dementia: bool = False
    has_visual_impairment: bool = False
    has_hearing_impairment: bool = False
    has_autism: bool = False
    has_unpaid_carer: bool = False
    capacity: Literal[tuple(code for code, _ in codes.CAPACITY)] = "not_assessed"
    representative_id: int | None = Field(None, ge=1, le=2**63 - 1)
    representative_relationship: str = Field("", max_length=100)
    team_id: int | None = Field(None, ge=1, le=2**63 - 1)
    address_line_1: str = Field("", max_length=200)
    address_line_2: str = Field("", max_length=200)
    town: str = Field("", max_length=100)
    postcode: str = Field("", max_length=12)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    preferred_contact: Literal["", "phone", "email", "letter"] = ""


class PersonUpdate(PersonIn):
    """The whole record again, with the `edit_version` it was read at (from `GET`): a change
    someone else saved since is refused with 409 and what they changed."""

    edit_version: int = Field(..., ge=1, le=2**31)


class FieldChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class ConflictOut(Schema):
    detail: str
    changed_by: str
    changed_at: dt.datetime | None
    changes: list[FieldChangeOut]
    edit_version: int


def _form_data(body: PersonIn) -> dict:
    """The API body as the person form's fields, so both check a record the same way."""
    data = body.dict(exclude={"edit_version", "team_id", "representative_id"})
    for name in ("date_of_birth", "date_of_death"):
        value = data.pop(name)
        parts = (value.day, value.month, value.year) if value else ("", "", "")
        for part, number in zip(("day", "month", "year"), parts, strict=True):
            data[f"{name}_{part}"] = str(number)
    data["flags"] = [name for name in FLAG_NAMES if data.pop(name)]
    data["team"] = body.team_id or ""
    data["representative"] = body.representative_id or ""
    data["nhs_number"] = data["nhs_number"] or ""
    if data["primary_support_reason"] is None:
        data["primary_support_reason"] = (
            codes.NO_SUPPORT_REASON if body.client_type in codes.CARER_TYPES else "unknown"
        )
    return data


def _form_errors(form) -> list[dict]:
    return [
        {"type": "invalid", "field": field if field != "__all__" else None, "message": message}
        for field, messages_ in form.errors.items()
        for message in messages_
    ]


@router.post(
    "",
    response={201: PersonOut, 403: Message, **WRITE_ERRORS},
    summary="Add a person",
)
def create_person(request, body: PersonIn):
    """Add a person's record, checked as the page checks it (practitioners and approvers)."""
    user = request.auth
    if not user.has_perm("people.add_person"):
        raise HttpError(403, "Only practitioners and approvers add people")
    form = PersonForm(_form_data(body), user=user)
    if not form.is_valid():
        return Status(422, {"detail": _form_errors(form)})
    person = actions.create_person(form.values(), acting_user=user)
    return Status(201, person)


@router.put(
    "/{person_id}",
    response={200: PersonOut, 403: Message, 409: ConflictOut, **WRITE_ERRORS},
    summary="Change a person's record",
)
def update_person(request, person_id: int, body: PersonUpdate):
    """Replace the record's fields; 409 if it changed since `edit_version`, naming the changes."""
    user = request.auth
    try:
        person = access.open_person(user, person_id, via="api:update_person")
    except access.NotVisible:
        raise HttpError(404, "Not found") from None
    if not user.has_perm("people.change_person", person):
        raise HttpError(403, "You may read this record but not change it")
    form = PersonForm(_form_data(body), instance=person, user=user)
    if not form.is_valid():
        return Status(422, {"detail": _form_errors(form)})
    try:
        actions.update_person(
            person, form.values(), acting_user=user, expected_version=body.edit_version
        )
    except EditConflict as conflict:
        return Status(
            409,
            {
                "detail": str(conflict),
                "changed_by": conflict.by,
                "changed_at": conflict.at,
                "changes": [vars(change) for change in conflict.changes],
                "edit_version": conflict.record.edit_version,
            },
        )
    person.refresh_from_db()
    return person


@router.get(
    "/{person_id}", response={200: PersonDetailOut, **READ_ERRORS}, summary="Read one person"
)
def get_person(request, person_id: int):
    """The person's record, if you may see it; otherwise 404 (whether or not it exists)."""
    try:
        return access.open_person(
            request.auth,
            person_id,
            via="api:get_person",
            action=AccessEvent.Action.API_READ,
            queryset=Person.objects.select_related("team").prefetch_related(
                "cares_for", "cared_for_by"
            ),
        )
    except access.NotVisible:
        raise HttpError(404, "Not found") from None
