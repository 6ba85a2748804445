"""People in the API: the same filters, the same visibility, the same access log as the pages."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from accounts.models import AccessEvent
from config.api_errors import READ_ERRORS

from . import access, codes, domain
from .models import Person

router = Router()

PrimarySupportReason = Literal[tuple(code for code, _ in codes.PRIMARY_SUPPORT_REASONS)]
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
    sex: str
    gender_identity: str
    ethnicity: str
    primary_support_reason: str
    has_dementia: bool
    has_sensory_impairment: bool
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

    @staticmethod
    def resolve_age(obj):
        return obj.age()


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
    if "postcode" in filters:
        compact = filters["postcode"].replace(" ", "").upper()
        filters["postcode"] = (
            domain.normalise_postcode(compact) if domain.is_valid_postcode(compact) else compact
        )
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


@router.get("/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary="Read one person")
def get_person(request, person_id: int):
    """The person's record, if you may see it; otherwise 404 (whether or not it exists)."""
    try:
        return access.open_person(
            request.auth,
            person_id,
            via="api:get_person",
            action=AccessEvent.Action.API_READ,
            queryset=Person.objects.select_related("team"),
        )
    except access.NotVisible:
        raise HttpError(404, "Not found") from None
