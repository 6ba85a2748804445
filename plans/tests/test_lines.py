"""Plan lines: what each costs, the unit cost from the council's rate, and every bad line
refused by its rule's code with nothing partly saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from plans import actions, rates
from plans.tests.factories import DraftPlanFactory, line_values

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def plan():
    return DraftPlanFactory(lines=[])


def codes(refused):
    return refused.value.codes


def test_a_line_without_a_unit_cost_takes_the_councils_rate(plan):
    line = actions.add_line(
        plan, line_values(service="home_care", unit_cost_pence=None), acting_user=plan.author
    )
    rate = rates.default_unit_cost("home_care", TODAY)
    assert (line.unit_cost_pence, line.reference_rate_pence) == (rate, rate)
    assert line.cost.weekly_pence == 10 * rate


def test_a_line_with_its_own_cost_keeps_the_councils_rate_beside_it(plan):
    line = actions.add_line(
        plan, line_values(service="home_care", unit_cost_pence=3000), acting_user=plan.author
    )
    assert (line.unit_cost_pence, line.reference_rate_pence) == (
        3000,
        rates.default_unit_cost("home_care"),
    )
    assert line.conversion == "10 hours at £30.00 an hour = £300.00 a week"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"unit_cost_pence": 0}, ["PLAN-LINE-COST"]),
        ({"unit_cost_pence": -100}, ["PLAN-LINE-COST"]),
        ({"units": Decimal("0")}, ["PLAN-LINE-UNITS"]),
        ({"units": Decimal("-2")}, ["PLAN-LINE-UNITS"]),
        ({"units": Decimal("1.005")}, ["PLAN-LINE-UNITS-SIZE"]),
        ({"end_date": TODAY - dt.timedelta(days=1)}, ["PLAN-LINE-END-BEFORE-START"]),
        ({"service_type": "lts_moon"}, ["PLAN-LINE-SERVICE-TYPE"]),
        ({"frequency": "hourly"}, ["PLAN-LINE-FREQUENCY"]),
        ({"service": "jetpack", "unit_cost_pence": 100}, ["PLAN-LINE-SERVICE"]),
        ({"funding_stream": "lottery"}, ["PLAN-LINE-STREAM"]),
        ({"mode": "cash"}, ["PLAN-LINE-MODE"]),
        ({"line_type": "magic"}, ["PLAN-LINE-TYPE"]),
        ({"description": "  "}, ["PLAN-LINE-DESCRIPTION"]),
        ({"service": "other", "unit_cost_pence": None}, ["PLAN-LINE-COST-NEEDED"]),
        ({"unit_cost_pence": 100_000_001}, ["PLAN-LINE-COST-TOO-HIGH"]),
        ({"units": Decimal("169")}, ["PLAN-LINE-HOURS"]),
        ({"mode": "isf", "provider": ""}, ["PLAN-LINE-ISF-PROVIDER"]),
        (
            {"line_type": "reablement", "service_type": "lts_community"},
            ["PLAN-LINE-TYPE-SERVICE-TYPE", "PLAN-LINE-REABLEMENT-SIX-WEEKS"],
        ),
        (
            {
                "line_type": "reablement",
                "service_type": "sts_st_max",
                "end_date": TODAY + dt.timedelta(days=43),
            },
            ["PLAN-LINE-REABLEMENT-SIX-WEEKS"],
        ),
        (
            {"line_type": "replacement_care", "service_type": "carer_cared_for"},
            ["PLAN-LINE-CARER"],
        ),
    ],
)
def test_a_bad_line_is_refused_by_its_rule_and_nothing_is_saved(plan, changes, expected):
    with pytest.raises(actions.BusinessRuleViolation) as refused:
        actions.add_line(plan, line_values(**changes), acting_user=plan.author)
    assert codes(refused) == expected
    assert plan.lines.count() == 0


def test_reablement_for_six_weeks_and_replacement_care_for_a_named_carer_are_lines(plan):
    reablement = actions.add_line(
        plan,
        line_values(
            line_type="reablement",
            service_type="sts_st_max",
            end_date=TODAY + dt.timedelta(days=42),
        ),
        acting_user=plan.author,
    )
    break_ = actions.add_line(
        plan,
        line_values(
            line_type="replacement_care",
            service_type="carer_cared_for",
            service="respite",
            units=Decimal("2"),
            unit_cost_pence=None,
            frequency="monthly",
            carer_name="Ann (wife)",
        ),
        acting_user=plan.author,
    )
    assert reablement.line_type == "reablement"
    assert (break_.carer_shown, break_.unit) == ("Ann (wife)", "night")
    assert "× 12 ÷ 52" in break_.conversion


def test_adding_several_lines_is_all_or_nothing_and_names_each_bad_line(plan):
    with pytest.raises(actions.LinesRefused) as refused:
        actions.add_lines(
            plan,
            [
                line_values(),
                line_values(unit_cost_pence=0),
                line_values(end_date=TODAY - dt.timedelta(days=3), units=Decimal("0")),
            ],
            acting_user=plan.author,
        )
    assert [(n, p.code) for n, p in refused.value.items] == [
        (2, "PLAN-LINE-COST"),
        (3, "PLAN-LINE-UNITS"),
        (3, "PLAN-LINE-END-BEFORE-START"),
    ]
    assert plan.lines.count() == 0


def test_changing_and_removing_a_line_move_the_total(plan):
    line = actions.add_line(plan, line_values(unit_cost_pence=2000), acting_user=plan.author)
    assert actions.plan_cost(plan).cost_pence == 20_000
    actions.change_line(line, {"units": Decimal("12")}, acting_user=plan.author)
    assert actions.plan_cost(plan).cost_pence == 24_000
    actions.remove_line(line, acting_user=plan.author)
    assert actions.plan_cost(plan).cost_pence == 0


def test_one_off_lines_are_kept_apart_from_the_weekly_total(plan):
    actions.add_lines(
        plan,
        [
            line_values(unit_cost_pence=2000),
            line_values(
                line_type="equipment",
                service="equipment",
                service_type="sts_ongoing_low_level",
                units=Decimal("1"),
                unit_cost_pence=45_000,
                frequency="one_off",
            ),
        ],
        acting_user=plan.author,
    )
    cost = actions.plan_cost(plan)
    assert (cost.cost_pence, cost.totals.one_off_pence, cost.one_off_apart) == (
        20_000,
        45_000,
        True,
    )


def test_a_changed_line_is_costed_from_its_new_values_even_if_its_old_cost_was_read():
    from plans.actions import build_line
    from plans.models import PlanLine

    line = PlanLine(
        pk=1,
        service="home_care",
        units=Decimal("2"),
        unit_cost_pence=1_000,
        frequency="weekly",
        start_date=dt.date(2026, 4, 6),
    )
    assert line.cost.weekly_pence == 2_000  # read, and kept on the instance
    build_line(None, {"units": Decimal("3")}, line=line)
    assert line.cost.weekly_pence == 3_000
    assert line.conversion.endswith("= £30.00 a week")
