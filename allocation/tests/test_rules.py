"""The RAS's business rules, by code: what stops a version being changed or published."""

import datetime as dt

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions, rules
from allocation.models import RasVersion
from allocation.tests.factories import CompletedModelRunFactory, DraftVersionFactory
from core.rules import BusinessRuleViolation

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


def codes(problems):
    return [p.code for p in problems]


def test_a_draft_must_be_modelled_and_dated_before_it_is_published(commissioner):
    draft = DraftVersionFactory(acting_user=commissioner)
    assert codes(rules.publication_problems(draft)) == ["RAS-NOT-MODELLED", "RAS-NO-START-DATE"]
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=commissioner)
    assert refused.value.codes == ["RAS-NOT-MODELLED"]


def test_a_modelled_draft_publishes_and_the_live_version_ends_the_day_before(commissioner):
    live = RasVersion.objects.live_on("person")
    draft = DraftVersionFactory(acting_user=commissioner)
    CompletedModelRunFactory(version=draft, acting_user=commissioner)
    actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=commissioner)
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from, draft.published_by) == (
        "live",
        dt.date(2027, 4, 1),
        commissioner,
    )
    assert live.effective_to == dt.date(2027, 3, 31) and live.status == "live"
    assert codes(rules.publication_problems(draft, dt.date(2028, 1, 1))) == ["RAS-NOT-DRAFT"]


def test_a_start_date_must_follow_every_published_version(commissioner):
    live = RasVersion.objects.live_on("person")
    draft = DraftVersionFactory(acting_user=commissioner)
    assert "RAS-START-CLASH" in codes(rules.publication_problems(draft, live.effective_from))


def test_a_live_version_is_frozen(commissioner):
    live = RasVersion.objects.live_on("person")
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.save_definition(live, live.definition, acting_user=commissioner)
    assert refused.value.codes == ["RAS-FROZEN"]


def test_the_definitions_own_gaps_each_have_a_code(commissioner):
    data = {**RasVersion.objects.live_on("person").definition}
    data["allocation"] = {"method": "price_per_point", "fixed_amount": "0", "price_per_point": "0"}
    data["informal_support"] = {"cap_percent": 0}
    draft = DraftVersionFactory(acting_user=commissioner, definition=data)
    assert set(codes(rules.definition_problems(draft))) == {"RAS-NO-PRICE", "RAS-NO-INFORMAL-CAP"}


def test_a_draft_in_use_is_kept_and_an_unused_one_deleted(commissioner):
    used = DraftVersionFactory(acting_user=commissioner)
    CompletedModelRunFactory(version=used, acting_user=commissioner)
    with pytest.raises(Exception, match="kept for the record"):
        actions.delete_draft(used, acting_user=commissioner)
    unused = DraftVersionFactory(acting_user=commissioner)
    actions.delete_draft(unused, acting_user=commissioner)
    assert not RasVersion.objects.filter(pk=unused.pk).exists()


def test_a_scoring_question_without_outcomes_leaves_the_questions_task_incomplete(
    client_for, commissioner
):
    """Care Act 2014 s26: a draft whose scoring question names no outcome cannot be published,
    and the builder's task list shows the questions as incomplete."""
    draft = DraftVersionFactory(acting_user=commissioner)
    data = draft.definition
    del data["domains"][0]["questions"][0]["outcomes"]
    actions.save_definition(draft, data, acting_user=commissioner)
    assert "RAS-NEED-NO-OUTCOME" in codes(rules.publication_problems(draft))
    assert "RAS-NEED-NO-OUTCOME" in rules.QUESTION_CODES
    page = client_for(commissioner).get(f"/ras/versions/{draft.pk}/").content.decode()
    assert "Incomplete" in page
