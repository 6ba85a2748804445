"""An enormous day or month in a page's date gets the GOV.UK message, never a server error."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def test_a_new_persons_date_of_birth(client_for, practitioner, team):
    response = client_for(practitioner).post(
        "/people/new/",
        {
            "first_name": "Iris",
            "last_name": "Marlow",
            "date_of_birth_day": HUGE,
            "date_of_birth_month": HUGE,
            "date_of_birth_year": "1941",
            "sex": "female",
            "team": team.pk,
        },
    )
    assert response.status_code == 200
    assert "Date of birth must be a real date" in response.content.decode()


def test_a_schemes_publication_date(client_for):
    commissioner = UserFactory(role=Role.COMMISSIONER)
    draft = DraftVersionFactory(label="Proposal", acting_user=commissioner)
    response = client_for(commissioner).post(
        f"/ras/versions/{draft.pk}/publish/",
        {"effective_from_day": HUGE, "effective_from_month": "4", "effective_from_year": "2027"},
    )
    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
