"""Personal budgets by state, set through budgets.actions."""

import datetime as dt

import factory
from django.utils import timezone

from budgets import actions
from people.tests.factories import PersonFactory


class ActiveBudgetFactory(factory.Factory):
    class Meta:
        model = dict

    person = factory.SubFactory(PersonFactory)
    amount_pence = 35_000
    period = "week"
    start_date = factory.LazyFunction(timezone.localdate)
    allocation = None
    reason = ""
    acting_user = None

    @classmethod
    def _create(cls, model_class, *, person, acting_user, **fields):
        return actions.set_budget(person, acting_user=acting_user, **fields)


class EndedBudgetFactory(ActiveBudgetFactory):
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=27))

    @classmethod
    def _create(cls, model_class, *, person, acting_user, end_date, **fields):
        budget = actions.set_budget(person, acting_user=acting_user, **fields)
        return actions.end_budget(budget, end_date=end_date, acting_user=acting_user)
