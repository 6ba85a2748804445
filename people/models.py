"""The person record (DESIGN.md §4) and the one rule for who may see it."""

import datetime as dt
import functools
import re
from functools import cached_property

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from accounts.roles import CASELOAD_ROLES, STAFF_ROLES, Role
from core.historical import HistoricalRecords
from core.models import ChoiceLabels, EditVersioned

from . import codes, domain


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people this user may see: every page and API endpoint starts here.

        A person (or a carer) sees themself; a representative the people they represent; a
        practitioner or approver their team's caseload; any council staff member
        also the records they opened with a break-glass reason that has not expired.
        Providers see no one yet.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in (Role.PERSON, Role.CARER):
            return self.filter(user=user)
        if user.role == Role.REPRESENTATIVE:
            return self.filter(representative=user)
        if user.role not in STAFF_ROLES:
            return self.none()
        # The grants are read first (a few rows at most) so that the caseload query stays a
        # plain `team_id = …` the planner can answer from the caseload index.
        granted = _granted_person_ids(user.pk)
        rule = Q(pk__in=granted) if granted else None
        if user.role in CASELOAD_ROLES and user.team_id:
            rule = Q(team_id=user.team_id) | rule if rule else Q(team_id=user.team_id)
        return self.filter(rule) if rule else self.none()

    def matching(
        self,
        *,
        name="",
        nhs_number="",
        council_person_id="",
        postcode="",
        primary_support_reason="",
        age_band="",
        on=None,
    ):
        """Caseload filters shared by the caseload page and the API."""
        qs = self
        # "Marlow, Iris" and "Iris Marlow" both find Iris Marlow: commas separate words too.
        for word in re.split(r"[\s,]+", name.strip()):
            if not word:
                continue
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        if nhs_number:
            qs = qs.filter(nhs_number=domain.normalise_nhs_number(nhs_number))
        if council_person_id:
            # Part of an ID finds it too: "1234" finds WX0001234.
            qs = qs.filter(council_person_id__icontains=council_person_id.strip())
        if postcode:
            compact = re.sub(r"\s+", "", postcode.upper())
            if domain.is_valid_postcode(compact):
                qs = qs.filter(postcode=domain.normalise_postcode(compact))
            else:
                # The start of a postcode, typed with or without its space: "WX14" or "WX1 4".
                qs = qs.alias(postcode_compact=Replace("postcode", Value(" "), Value(""))).filter(
                    postcode_compact__startswith=compact
                )
        if primary_support_reason:
            qs = qs.filter(primary_support_reason=primary_support_reason)
        if age_band:
            earliest, latest = domain.birth_dates_for_band(age_band, on or timezone.localdate())
            qs = qs.filter(date_of_birth__lte=latest)
            if earliest:
                qs = qs.filter(date_of_birth__gte=earliest)
        return qs


def _granted_person_ids(user_id: int) -> list[int]:
    """The people this user opened with a break-glass reason that has not expired yet.

    Every staff page asks this, so it is one plain statement: built by the ORM it cost
    ~0.4 ms of Python a request (most of it compiling the query), as text ~0.06 ms.
    """
    from accounts.models import AccessGrant

    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_grants_sql(AccessGrant), [user_id, now])
        return [row[0] for row in cursor.fetchall()]


@functools.cache
def _grants_sql(model) -> str:
    quote = connection.ops.quote_name
    column = {f.name: quote(f.column) for f in model._meta.concrete_fields}
    return (
        f"SELECT DISTINCT {column['person']} FROM {quote(model._meta.db_table)} "  # noqa: S608 - quoted names only
        f"WHERE {column['user']} = %s AND {column['expires_at']} > %s"
    )


class Person(EditVersioned, ChoiceLabels):
    """An adult with care and support needs known to the council."""

    council_person_id = models.CharField(
        "Council person ID",
        max_length=20,
        unique=True,
        help_text="The council's own reference. Leave blank to be given the next one.",
    )
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        help_text="10 digits, for example 943 476 5919",
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField("First name", max_length=100)
    middle_names = models.CharField("Middle names", max_length=100, blank=True)
    last_name = models.CharField("Last name", max_length=100)
    preferred_name = models.CharField(
        "Preferred name", max_length=100, blank=True, help_text="What they like to be called"
    )
    date_of_birth = models.DateField("Date of birth")
    date_of_death = models.DateField("Date of death", null=True, blank=True)
    sex = models.CharField(
        "Sex",
        max_length=20,
        choices=codes.SEXES,
        help_text="As the national return (Client Level Data) records it",
    )
    gender_identity = models.CharField(
        "Gender identity",
        max_length=20,
        choices=codes.GENDER_IDENTITY,
        default="not_asked",
        help_text="Is the gender they identify with the same as their sex registered at birth?",
    )
    ethnicity = models.CharField(
        "Ethnic group", max_length=40, choices=codes.ETHNIC_GROUPS, default="not_stated"
    )
    religion = models.CharField(
        "Religion or belief", max_length=20, choices=codes.RELIGIONS, default="not_asked"
    )
    sexual_orientation = models.CharField(
        "Sexual orientation",
        max_length=20,
        choices=codes.SEXUAL_ORIENTATIONS,
        default="not_asked",
    )
    legal_partnership_status = models.CharField(
        "Marriage or civil partnership",
        max_length=30,
        choices=codes.LEGAL_PARTNERSHIP,
        default="not_asked",
        help_text="Legal partnership status, as the 2021 Census asked it",
    )
    pregnancy_maternity = models.CharField(
        "Pregnancy and maternity",
        max_length=20,
        choices=codes.PREGNANCY_MATERNITY,
        default="not_asked",
        help_text="Whether they are pregnant or gave birth in the last 26 weeks",
    )
    client_type = models.CharField(
        "Client type",
        max_length=25,
        choices=codes.CLIENT_TYPES,
        default="service_user",
        help_text="A carer who also has care and support needs of their own is a service user",
    )
    primary_support_reason = models.CharField(
        "Primary support reason",
        max_length=40,
        choices=codes.PRIMARY_SUPPORT_REASONS,
        default="unknown",
        blank=True,
        help_text="A carer’s own record has none",
    )
    has_dementia = models.BooleanField("Dementia", default=False)
    has_visual_impairment = models.BooleanField("Visual impairment", default=False)
    has_hearing_impairment = models.BooleanField("Hearing impairment", default=False)
    has_autism = models.BooleanField("Autism", default=False)
    has_unpaid_carer = models.BooleanField("Has an unpaid carer", default=False)
    capacity = models.CharField(
        "Capacity to manage their own affairs",
        max_length=20,
        choices=codes.CAPACITY,
        default="not_assessed",
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represented_people",
        limit_choices_to={"role": Role.REPRESENTATIVE},
        help_text="A family member, or a suitable person for someone who lacks capacity",
    )
    representative_relationship = models.CharField(
        "Representative's relationship", max_length=100, blank=True
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person_record",
        limit_choices_to={"role": Role.PERSON},
        help_text="The person's own sign-in, for their portal",
    )
    address_line_1 = models.CharField("Address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100, blank=True)
    postcode = models.CharField("Postcode", max_length=8, blank=True, db_index=True)
    phone = models.CharField("Phone number", max_length=30, blank=True)
    email = models.EmailField("Email address", blank=True)
    preferred_contact = models.CharField(
        "Preferred way to be contacted", max_length=10, choices=codes.CONTACT_METHODS, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["team", "last_name", "first_name", "id"], name="person_caseload"),
            models.Index(fields=["last_name", "first_name", "id"], name="person_name"),
            models.Index(fields=["team", "primary_support_reason"], name="person_team_psr"),
            models.Index(fields=["team", "date_of_birth"], name="person_team_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="person_death_after_birth",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.council_person_id:
            self.council_person_id = PersonIdSequence.next_id()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def nhs_number_display(self) -> str:
        return domain.format_nhs_number(self.nhs_number or "")

    def age(self, on: dt.date | None = None) -> int:
        end = self.date_of_death or on or timezone.localdate()
        return domain.age_on(self.date_of_birth, end)

    @property
    def age_band(self) -> str:
        return domain.age_band(self.age())

    @property
    def client_group(self) -> str:
        return domain.client_group(self.primary_support_reason, self.age(), self.has_dementia)

    @property
    def is_carer(self) -> bool:
        """A carer's own record (client type Carer, or Carer known by association)."""
        return self.client_type in codes.CARER_TYPES

    @property
    def locality(self) -> str:
        return domain.postcode_district(self.postcode)

    @cached_property
    def caring_links(self) -> list["CaringRelationship"]:
        """Every caring relationship either way (one statement), current ones first.

        Each link comes with the person at its other end (their id, name and council ID, what
        the record shows), read by one plain statement: built by the ORM, with both ends
        joined and cut down by only(), the read cost ~0.6 ms of Python on every person page,
        as text ~0.15 ms.
        """
        link_names, other_names, sql = _caring_links_plan()
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.pk, self.pk, self.pk])
            rows = cursor.fetchall()
        links = []
        for row in rows:  # seen from this record: the other person, and who cares for whom
            link = CaringRelationship.from_db(connection.alias, link_names, row[: len(link_names)])
            other = Person.from_db(connection.alias, other_names, row[len(link_names) :])
            carer = link.carer_id == self.pk
            CaringRelationship.carer.field.set_cached_value(link, self if carer else other)
            CaringRelationship.cared_for.field.set_cached_value(link, other if carer else self)
            link.role = "Cares for" if carer else "Cared for by"
            link.other = other
            links.append(link)
        return sorted(links, key=lambda link: (link.ended is not None, -link.started.toordinal()))


@functools.cache
def _caring_links_plan():
    """(the link's field names, the other person's, the statement) for Person.caring_links.

    Names are in each model's own field order, as Model.from_db takes the values it is given.
    """
    quote = connection.ops.quote_name

    def chosen(model, names):
        fields = [f for f in model._meta.concrete_fields if f.name in names]
        return [f.attname for f in fields], [quote(f.column) for f in fields]

    link_names, link_columns = chosen(
        CaringRelationship, {"id", "carer", "cared_for", "started", "ended"}
    )
    other_names, other_columns = chosen(
        Person, {"id", "first_name", "last_name", "council_person_id"}
    )
    column = {f.name: quote(f.column) for f in CaringRelationship._meta.concrete_fields}
    carer, cared_for = column["carer"], column["cared_for"]
    sql = (
        f"SELECT {', '.join(f'l.{c}' for c in link_columns)}, "  # noqa: S608 - quoted names only
        f"{', '.join(f'o.{c}' for c in other_columns)} "
        f"FROM {quote(CaringRelationship._meta.db_table)} l "
        f"JOIN {quote(Person._meta.db_table)} o ON o.{quote(Person._meta.pk.column)} = "
        f"CASE WHEN l.{carer} = %s THEN l.{cared_for} ELSE l.{carer} END "
        f"WHERE l.{carer} = %s OR l.{cared_for} = %s"
    )
    return link_names, other_names, sql


class CaringRelationshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The links of the people this user may see (either end)."""
        people = Person.objects.visible_to(user)
        return self.filter(Q(carer__in=people) | Q(cared_for__in=people))

    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(started__lte=on).filter(Q(ended__isnull=True) | Q(ended__gte=on))


class CaringRelationship(models.Model):
    """An unpaid carer and the person they care for: both records show the link.

    The Client Level Data return links a carer to up to three people they care for who are
    themselves service users; a carer's assessment (Care Act s10) is about the person cared
    for as well. Written only through people.actions.
    """

    carer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cares_for")
    cared_for = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cared_for_by")
    started = models.DateField("Started caring")
    ended = models.DateField("Stopped caring", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = CaringRelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(carer=models.F("cared_for")), name="caring_not_for_oneself"
            ),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="caring_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["carer", "cared_for"],
                condition=Q(ended__isnull=True),
                name="caring_one_open_link",
            ),
        ]

    def __str__(self):
        return f"{self.carer} cares for {self.cared_for}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.started <= today and (self.ended is None or self.ended >= today)


class PersonIdSequence(models.Model):
    """Hands out council person IDs in order, safely under concurrent use."""

    name = models.CharField(max_length=30, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.last_value}"

    @classmethod
    def next_id(cls, name="person") -> str:
        with transaction.atomic():
            sequence, _ = cls.objects.select_for_update().get_or_create(name=name)
            candidate = sequence.last_value
            while True:
                candidate += 1
                value = f"{settings.COUNCIL_PERSON_ID_PREFIX}{candidate:07d}"
                if not Person.objects.filter(council_person_id=value).exists():
                    break
            sequence.last_value = candidate
            sequence.save(update_fields=["last_value"])
        return value

    @classmethod
    def advance_to(cls, value: int, name="person") -> None:
        """After a bulk load, move the sequence past the numbers it used."""
        with transaction.atomic():
            sequence, _ = cls.objects.select_for_update().get_or_create(name=name)
            if value > sequence.last_value:
                sequence.last_value = value
                sequence.save(update_fields=["last_value"])
