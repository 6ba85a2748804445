"""The RAS's business rules, by code: what stops a version being changed or published."""

import datetime as dt

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions, rules
from allocation.models import ModelRun, RasVersion
from allocation.tests.factories import (
    CompletedModelRunFactory,
    DraftVersionFactory,
    LiveVersionFactory,
)
from core.rules import BusinessRuleViolation

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def colleague():
    """A second commissioner: the one who checks and publishes another's draft."""
    return UserFactory(role=Role.COMMISSIONER)


def codes(problems):
    return [p.code for p in problems]


def test_a_draft_must_be_modelled_and_dated_before_it_is_published(commissioner, colleague):
    draft = DraftVersionFactory(acting_user=commissioner)
    assert codes(rules.publication_problems(draft)) == ["RAS-NOT-MODELLED", "RAS-NO-START-DATE"]
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    assert refused.value.codes == ["RAS-NOT-MODELLED"]


def test_a_modelled_draft_publishes_and_the_live_version_ends_the_day_before(
    commissioner, colleague
):
    live = RasVersion.objects.live_on("person")
    draft = DraftVersionFactory(acting_user=commissioner)
    CompletedModelRunFactory(version=draft, acting_user=commissioner)
    actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from, draft.published_by) == (
        "live",
        dt.date(2027, 4, 1),
        colleague,
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


# --- a second person publishes (four eyes) -------------------------------------------------


def test_whoever_made_the_draft_cannot_publish_it(commissioner, colleague):
    draft = DraftVersionFactory(acting_user=commissioner)
    CompletedModelRunFactory(version=draft, acting_user=commissioner)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=commissioner)
    assert refused.value.codes == ["RAS-SAME-PERSON"]
    assert "RAS-SAME-PERSON" not in codes(rules.publication_problems(draft, publisher=colleague))


def test_whoever_ran_the_calibration_that_made_a_draft_cannot_publish_it(commissioner, colleague):
    from allocation.models import CalibrationRun

    draft = DraftVersionFactory(acting_user=colleague)
    CalibrationRun.objects.create(
        version=RasVersion.objects.live_on("person"),
        created_by=commissioner,
        source="database",
        method="ols",
        envelope_pence=100,
        reserve_percent=5,
        draft=draft,
    )
    assert "RAS-SAME-PERSON" in codes(rules.publication_problems(draft, publisher=commissioner))
    assert rules.authors(draft) == {commissioner.pk, colleague.pk}


def test_whoever_changed_a_draft_cannot_publish_it(commissioner, colleague):
    third = UserFactory(role=Role.COMMISSIONER)
    draft = DraftVersionFactory(acting_user=commissioner)
    actions.save_definition(draft, draft.definition, acting_user=colleague, summary="Tweaked")
    assert "RAS-SAME-PERSON" in codes(rules.publication_problems(draft, publisher=colleague))
    assert "RAS-SAME-PERSON" not in codes(rules.publication_problems(draft, publisher=third))


# --- flagged groups need a written justification (Equality Act 2010 s19, s149) -----------------


def _flagged_run(version, user, flags=(("Sex", "Male"), ("Religion or belief", "Muslim"))):
    return ModelRun.objects.create(
        version=version,
        envelope_pence=100,
        reserve_percent=5,
        status="done",
        created_by=user,
        result={
            "flags": [{"group": group, "label": label} for group, label in flags],
            "groups": {},
            "overall": {},
            "summary": {},
        },
    )


def test_a_flagged_group_without_a_justification_stops_publication(commissioner, colleague):
    draft = DraftVersionFactory(acting_user=commissioner)
    run = _flagged_run(draft, commissioner)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    assert refused.value.codes == ["RAS-UNJUSTIFIED-GROUP"]
    assert "Sex: Male" in refused.value.problems[0].message
    actions.justify_group(
        run,
        "Sex",
        "Male",
        "The old budgets for men included night care the new scheme prices separately.",
        acting_user=commissioner,
    )
    assert codes(rules.publication_problems(draft, dt.date(2027, 4, 1), colleague)) == [
        "RAS-UNJUSTIFIED-GROUP"
    ]
    actions.justify_group(
        run,
        "Religion or belief",
        "Muslim",
        "Fewer of this group had a budget before; they gain as the scheme counts needs alike.",
        acting_user=commissioner,
    )
    actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    draft.refresh_from_db()
    assert draft.status == "live"


def test_a_justification_is_for_a_flagged_group_is_written_and_freezes_on_publication(
    commissioner, colleague
):
    draft = DraftVersionFactory(acting_user=commissioner)
    run = _flagged_run(draft, commissioner, flags=[("Sex", "Male")])
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.justify_group(
            run, "Sex", "Female", "A long enough reason, surely.", acting_user=commissioner
        )
    assert refused.value.codes == ["RAS-NOT-FLAGGED"]
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.justify_group(run, "Sex", "Male", "  Because.  ", acting_user=commissioner)
    assert refused.value.codes == ["RAS-JUSTIFICATION-TOO-SHORT"]
    first = actions.justify_group(
        run, "Sex", "Male", "A first reason, long enough to read.", acting_user=commissioner
    )
    again = actions.justify_group(
        run, "Sex", "Male", "A better reason, after talking to carers.", acting_user=commissioner
    )
    assert first.pk == again.pk and again.history.count() == 2  # the first words are kept
    actions.write_equality_assessment(
        run, "Men lose more because night care is now priced apart.", acting_user=commissioner
    )
    actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.justify_group(
            run, "Sex", "Male", "Rewritten after the event.", acting_user=colleague
        )
    assert refused.value.codes == ["RAS-RUN-FROZEN"]
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.write_equality_assessment(run, "Rewritten after the event.", acting_user=colleague)
    assert refused.value.codes == ["RAS-RUN-FROZEN"]


def test_the_live_version_factory_publishes_as_the_pages_do_by_a_second_commissioner(
    commissioner,
):
    before = RasVersion.objects.live_on("person")
    made = LiveVersionFactory(acting_user=commissioner, effective_from=dt.date(2027, 4, 1))
    assert made.status == "live" and made.published_by != commissioner
    assert made.effective_from == dt.date(2027, 4, 1)
    assert RasVersion.objects.live_on("person", dt.date(2027, 4, 1)) == made
    assert RasVersion.objects.live_on("person", dt.date(2027, 3, 31)) == before
