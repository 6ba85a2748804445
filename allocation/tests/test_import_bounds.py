"""A scheme import with hostile numbers or nesting gets a clear message, quickly, and nothing
is saved (issue #6 §5, bad input that still gave 500)."""

import io
import json
from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import definition as ras
from allocation.models import RasVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


@pytest.fixture
def commissioner_client(client_for):
    return client_for(UserFactory(role=Role.COMMISSIONER))


def exported(live) -> dict:
    return ras.to_dict(live.parsed)


def post(client, live, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "scheme.json"
    return client.post(
        "/ras/import/", {"scheme": live.scheme.pk, "label": "Hostile", "file": upload}
    )


def with_points(live, value) -> bytes:
    """The live scheme's JSON with the first option's points replaced by raw JSON `value`."""
    data = exported(live)
    data["domains"][0]["questions"][0]["options"][0]["points"] = "__VALUE__"
    return json.dumps(data).replace('"__VALUE__"', value).encode()


def with_money(live, value: str) -> bytes:
    data = exported(live)
    data["money_tables"][0]["fixed_amount"] = value
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda live: with_points(live, "1" + "0" * 5000), "number that is too long"),
        (lambda live: with_points(live, "1" + "0" * 4000), "number that is too long"),
        (lambda live: with_points(live, "1e99999999"), "points: must be 1,000,000 or less"),
        (lambda live: with_points(live, "NaN"), "is not a number a scheme can use"),
        (
            lambda live: with_points(live, '"' + "9" * 5000 + '"'),
            "points: must be a number",
        ),
        (
            lambda live: with_money(live, "1E+99999999"),
            "fixed_amount: &#x27;1E+99999999&#x27; must be an amount of money",
        ),
        (
            lambda live: with_money(live, "9" * 5000),
            "fixed_amount: &#x27;99999999999999999999999999999…&#x27; must be",
        ),
        (lambda live: b"[" * 100_000 + b"]" * 100_000, "nests lists or objects too deeply"),
        (
            lambda live: b'{"definition": ' + b"[" * 50 + b"]" * 50 + b"}",
            "nests lists or objects too deeply",
        ),
        (
            lambda live: json.dumps(
                {**exported(live), "extra": [[[[[[[[[[[[["deep"]]]]]]]]]]]]]}
            ).encode(),
            "nests lists or objects too deeply",
        ),
        (lambda live: b"\xff\xfe{}", "must be JSON, saved as UTF-8"),
        (lambda live: b"{not json", "The file must be JSON"),
    ],
)
def test_a_hostile_file_gets_a_message_and_nothing_is_saved(
    commissioner_client, live, content, message
):
    before = RasVersion.objects.count()
    response = post(commissioner_client, live, content(live))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "govuk-error-summary" in body
    assert RasVersion.objects.count() == before


def test_a_file_larger_than_any_scheme_is_refused(commissioner_client, live):
    response = post(commissioner_client, live, b" " * (2 * 1024 * 1024 + 1))
    assert "The file must be smaller than 2 MB" in response.content.decode()


def test_a_good_file_is_saved_in_canonical_form(commissioner_client, live):
    data = exported(live)
    data["money_tables"][0]["fixed_amount"] = "15.50"
    response = post(commissioner_client, live, json.dumps(data).encode())
    assert response.status_code == 302
    imported = RasVersion.objects.get(label="Hostile")
    assert imported.definition["money_tables"][0]["fixed_amount"] == "15.50"  # exact, as text
    assert imported.parsed.allocation.fixed_amount == Decimal("15.50")


def test_a_file_with_a_key_the_format_does_not_know_is_refused_not_trimmed(
    commissioner_client, live
):
    """Issue 10: an import that silently dropped a key it did not know would change budgets
    unnoticed; now the key is named, with its path, and nothing is saved."""
    before = RasVersion.objects.count()
    data = exported(live)
    data["ignored"] = {"note": "not part of the format"}
    data["money_tables"][0]["fixed_amount"] = 15.5  # money is text in the format
    body = post(commissioner_client, live, json.dumps(data).encode()).content.decode()
    assert "$.ignored" in body and "$.money_tables[0].fixed_amount" in body
    assert RasVersion.objects.count() == before


class TestTheBoundsThemselves:
    """The pure checks in allocation.domain.definition, without a page."""

    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            ("12.50", True),
            ("12", True),
            ("999999999.99", True),
            ("1000000000", False),
            ("1E+99999999", False),
            ("9" * 31, False),
            (12, False),  # money is text, so no reader makes it a float
            ([1, 2], False),
            (True, False),
            ({"a": 1}, False),
        ],
    )
    def test_money(self, value, ok):
        data = ras.to_dict(RasVersion.objects.live_on("person").parsed)
        data["money_tables"][0]["fixed_amount"] = value
        assert self._accepted(data) is ok

    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            (5, True),
            ("5", False),
            (10**4000, False),
            ("9" * 5000, False),
            (Decimal("2.555"), False),
            ([5], False),
        ],
    )
    def test_points(self, value, ok):
        data = ras.to_dict(RasVersion.objects.live_on("person").parsed)
        data["domains"][0]["questions"][0]["options"][0]["points"] = value
        assert self._accepted(data) is ok

    @staticmethod
    def _accepted(data) -> bool:
        try:
            ras.parse(data)
        except ras.DefinitionError:
            return False
        return True

    def test_nesting_is_measured_without_recursion(self):
        deep = []
        for _ in range(100_000):
            deep = [deep]
        assert ras._depth(deep) == ras.MAX_DEPTH + 1
        assert ras._depth({"a": [{"b": 1}]}) == 3
