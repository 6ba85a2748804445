"""The bulk read of a model run's caseload (allocation.population.load) gives exactly what the
plain row-by-row read (load_rows) gives, on whichever database the suite runs against
(SQLite by default; PostgreSQL with DATABASE_URL, where it reads aggregated blobs)."""

import datetime as dt
import random

import numpy as np
import pytest

from allocation import population
from allocation.domain.definition import to_dict
from allocation.tests.factories import DraftVersionFactory, live_version, random_answers
from assessment import actions as assessment_actions
from assessment.models import Assessment, EligibilityDecision
from assessment.tests.factories import CompletedAssessmentFactory, NotEligibleAssessmentFactory
from budgets.models import PersonalBudget
from budgets.tests.factories import ActiveBudgetFactory
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ARRAYS = ("person_ids", "choices", "missing", "current_pence", "has_budget", "unable_masks", "ages")
LISTS = ("refs", "teams", "support_reasons", "client_types", "details", "answers")


def assert_same(bulk: population.Population, rows: population.Population) -> None:
    assert bulk.size == rows.size
    for name in ARRAYS:
        mine, theirs = getattr(bulk, name), getattr(rows, name)
        assert mine.dtype == theirs.dtype, name
        assert np.array_equal(mine, theirs), name
    assert bulk.choices.flags.f_contiguous
    for name in LISTS:
        assert getattr(bulk, name) == getattr(rows, name), name
    assert list(bulk.groups) == list(rows.groups)
    for name, (codes, labels) in rows.groups.items():
        assert bulk.groups[name][1] == labels, name
        assert bulk.groups[name][0].dtype == codes.dtype, name
        assert np.array_equal(bulk.groups[name][0], codes), name


def _other_version(live):
    """A draft that asks one question fewer and lists another question's options backwards,
    so an answer's index differs between the two versions."""
    data = to_dict(live.parsed)
    questions = data["domains"][0]["questions"]
    questions.pop(0)
    questions[0]["options"].reverse()
    return DraftVersionFactory(definition=data)


@pytest.fixture
def awkward_caseload(team, practitioner):
    """People whose records exercise every path of the bulk read."""
    live = live_version()
    rng = random.Random(9)
    people = []
    postcodes = ["WX1 4DQ", "wx2 5ab", "WX104DQ", "", "BAD CODE", "GIR 0AA", "WX01 1AA"]
    for index in range(14):
        person = PersonFactory(
            team=team,
            postcode=postcodes[index % len(postcodes)],
            date_of_birth=dt.date(1930 + index * 6, 2 if index % 3 else 3, 28 + index % 2),
            has_dementia=index % 4 == 0,
            has_unpaid_carer=index % 3 == 0,
        )
        CompletedAssessmentFactory(
            person=person, answers=random_answers(live, rng), acting_user=practitioner
        )
        if index % 5:
            ActiveBudgetFactory(person=person, amount_pence=20_000 + index * 1_111)
        people.append(person)
    # A support reason the code list no longer has, a person on no team, a death, and
    # someone found not eligible: the last two are not modelled.
    Person.objects.filter(pk=people[1].pk).update(primary_support_reason="retired_reason")
    Person.objects.filter(pk=people[2].pk).update(team=None)
    # A postcode holding the character the bulk read joins text with: read plainly.
    Person.objects.filter(pk=people[4].pk).update(postcode="WX\x1f1")
    Person.objects.filter(pk=people[3].pk).update(date_of_death=dt.date(2025, 1, 1))
    NotEligibleAssessmentFactory(person=PersonFactory(team=team), acting_user=practitioner)
    # Two current weekly budgets, their own and a carer's (the earlier start counts), and a
    # yearly one (not compared with a weekly version).
    older = PersonalBudget.objects.get(person=people[6], status="active")
    ActiveBudgetFactory(
        person=people[6],
        kind="carer",
        amount_pence=99_999,
        start_date=older.start_date - dt.timedelta(days=30),
    )
    ActiveBudgetFactory(
        person=people[7],
        kind="carer",
        amount_pence=88_888,
        start_date=PersonalBudget.objects.get(person=people[7], status="active").start_date
        + dt.timedelta(days=3),
    )
    ActiveBudgetFactory(person=people[0], amount_pence=1_000_000, period="year")
    # Packings the bulk read must not trust, or cannot have.
    mine = Assessment.objects.filter(person=people[7])
    mine.update(packed_answers=None)  # stored before the column existed
    stale = Assessment.objects.get(person=people[8])
    Assessment.objects.filter(pk=stale.pk).update(
        packed_answers=b"\0" * population.DIGEST_BYTES
        + stale.packed_answers[population.DIGEST_BYTES :]
    )
    legacy = Assessment.objects.get(person=people[9])
    answers = {**legacy.answers, "retired_question": "yes"}  # its version cannot hold it
    Assessment.objects.filter(pk=legacy.pk).update(
        answers=answers, packed_answers=population.pack_answers(live.compiled, answers)
    )
    # One assessment made on another version than the one modelled.
    other = _other_version(live)
    moved = Assessment.objects.get(person=people[10])
    kept = {k: v for k, v in moved.answers.items() if other.parsed.question(k)}
    Assessment.objects.filter(pk=moved.pk).update(
        version=other, answers=kept, packed_answers=population.pack_answers(other.compiled, kept)
    )
    # A decision that names an outcome the scheme does not know.
    EligibilityDecision.objects.filter(assessment__person=people[11]).update(
        unable_outcomes=["hygiene", "not_an_outcome", "nutrition"]
    )
    return live, other, people


def test_the_bulk_read_of_a_caseload_is_the_row_by_row_read_for_every_awkward_record(
    awkward_caseload,
):
    live, _other, people = awkward_caseload
    today = dt.date(2026, 2, 28)
    bulk = population.load(live, today=today)
    assert_same(bulk, population.load_rows(live, today=today))
    assert bulk.size == len(people) - 1  # the person who died is not modelled
    row = {pid: i for i, pid in enumerate(bulk.person_ids.tolist())}
    assert bulk.current_pence[row[people[6].pk]] == 99_999  # the earlier of two
    assert not bulk.has_budget[row[people[5].pk]]
    assert "Postcode not recorded" in bulk.groups["Locality (postcode district)"][1]
    assert population.pack_answers(live.compiled, {"retired_question": "yes"}) is None


def test_the_bulk_read_encodes_against_the_version_modelled_not_the_one_each_answered(
    awkward_caseload,
):
    _live, other, _people = awkward_caseload
    bulk = population.load(other)
    assert_same(bulk, population.load_rows(other))
    # The question the draft dropped cannot be answered under it by anyone.
    assert len(other.compiled.question_codes) == bulk.choices.shape[1]


def test_the_bulk_read_of_an_empty_caseload_is_empty():
    live = live_version()
    bulk = population.load(live)
    assert_same(bulk, population.load_rows(live))
    assert bulk.size == 0


def test_a_carers_health_at_risk_counts_in_the_bulk_read_as_in_the_row_read(team, practitioner):
    carers = [PersonFactory(team=team) for _ in range(3)]
    for carer in carers:
        CompletedAssessmentFactory(person=carer, kind="carer", acting_user=practitioner)
    EligibilityDecision.objects.filter(assessment__person=carers[0]).update(health_at_risk=True)
    version = live_version("carer")
    bulk = population.load(version)
    assert_same(bulk, population.load_rows(version))
    assert len(set(bulk.unable_masks.tolist())) == 2


def test_changing_an_answer_packs_the_answers_again(team, practitioner):
    live = live_version()
    assessment = CompletedAssessmentFactory(person=PersonFactory(team=team))
    assert assessment.packed_answers == population.pack_answers(live.compiled, assessment.answers)
    question = live.parsed.questions[0]
    new = next(o.code for o in question.options if o.code != assessment.answers[question.code])
    assessment_actions.record_answers(
        assessment, {question.code: new}, acting_user=practitioner, reason="Checked again"
    )
    assessment.refresh_from_db()
    assert assessment.answers[question.code] == new
    packed = bytes(assessment.packed_answers)
    assert packed == population.pack_answers(live.compiled, assessment.answers)
    assert packed[population.DIGEST_BYTES] == [o.code for o in question.options].index(new)
