"""The questionnaire with selfdirect-ras/2's question-level parts in a real browser, axe-core on
every page visited: a multi-select question as GOV.UK checkboxes whose "none" box clears the
others (govuk-frontend's exclusive behaviour), and a conditional question skipped when the
answer before it does not ask it."""

import pytest
from playwright.sync_api import expect

from allocation import actions as ras_actions
from allocation.domain import definition as ras

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _assessment_with_parts(iris):
    """Iris's own assessment, on a version whose first question takes several answers and
    whose second is asked only after the first's last answer."""
    from allocation.models import RasVersion
    from allocation.tests.factories import DraftVersionFactory
    from assessment.tests.factories import InProgressAssessmentFactory

    ras_actions.ship_default_schemes(acting_user=None)
    data = ras.to_dict(RasVersion.objects.live_on("person").parsed)
    first, second, third = [q for d in data["domains"] for q in d["questions"]][:3]
    first["options"] = first["options"][:3]
    first["type"] = "multiple"
    first["none_label"] = "None of these"
    second["asked_when"] = {"question": first["code"], "answers": [first["options"][-1]["code"]]}
    draft = DraftVersionFactory(definition=data)
    assessment = InProgressAssessmentFactory(person=iris, mode="self", acting_user=iris.user)
    assessment.version = draft  # as if this version were in force when it started
    assessment.save(update_fields=["version"])
    return assessment, first, second, third


def test_a_person_ticks_several_answers_or_none_and_skips_a_question_not_asked(page, council):
    assessment, first, second, third = _assessment_with_parts(council["iris"])
    sign_in(page, "person", check=False)
    page.goto(f"/assessments/{assessment.pk}/questions/{first['code']}/")
    assert_accessible(page)
    boxes = [page.get_by_label(o["label"], exact=True) for o in first["options"]]
    none = page.get_by_label("None of these", exact=True)
    boxes[0].check()
    none.check()  # the exclusive box clears the others
    expect(boxes[0]).not_to_be_checked()
    boxes[1].check()  # and they clear it
    expect(none).not_to_be_checked()
    page.get_by_role("button", name="Save and continue").click()
    # Not the last answer, so the second question is not asked: on to the third.
    page.wait_for_url(f"**/questions/{third['code']}/")
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.answers[first["code"]] == [first["options"][1]["code"]]
    assert second["code"] not in assessment.unanswered()
