"""The demo council gains budget letters and a few challenges, some overdue, one decided."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from challenges.models import BudgetLetter, Challenge

pytestmark = pytest.mark.django_db


def test_the_demo_council_has_letters_sent_and_open_challenges_some_overdue(capsys):
    call_command("seed_demo", people=400, seed=3, no_progress=True)
    challenges = list(Challenge.objects.all())
    assert len(challenges) >= 4
    assert BudgetLetter.objects.count() >= len(challenges)
    today = timezone.localdate()
    assert any(c.is_open and c.respond_by < today for c in challenges)
    assert any(c.is_open and c.respond_by >= today for c in challenges)
    assert sum(1 for c in challenges if c.is_decided) == 1
    for challenge in challenges:
        assert challenge.decision_maker_id not in (
            challenge.assigned_to_id,
            challenge.decided_by_id,
        )
