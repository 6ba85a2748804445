"""RAS versions and runs by state, made through allocation.actions."""

import factory

from allocation import actions
from allocation.models import ModelRun, RasVersion


def live_version(kind: str = "person") -> RasVersion:
    """The version in force today (the shipped one, unless a test published another)."""
    return RasVersion.objects.live_on(kind)


class DraftVersionFactory(factory.Factory):
    """A draft copied from the live version (or from `based_on`), by a commissioner."""

    class Meta:
        model = dict

    kind = "person"
    label = factory.Sequence(lambda n: f"Proposal {n}")
    definition = None
    based_on = None

    @classmethod
    def _create(cls, model_class, *, kind, label, definition, based_on, acting_user=None):
        source = based_on or live_version(kind)
        return actions.copy_version(
            source, acting_user=acting_user, label=label, definition=definition
        )


class CompletedModelRunFactory(factory.Factory):
    """A model run that has been through the worker (core.jobs.execute), finished."""

    class Meta:
        model = dict

    version = factory.LazyFunction(live_version)
    envelope = "1000000"
    reserve_percent = "5"
    review_fall_percent = "10"
    acting_user = None

    @classmethod
    def _create(cls, model_class, *, version, acting_user, **fields):
        from decimal import Decimal

        from allocation import services
        from core import jobs

        run = actions.start_model_run(
            version,
            acting_user=acting_user,
            envelope=Decimal(fields["envelope"]),
            reserve_percent=Decimal(fields["reserve_percent"]),
            review_fall_percent=Decimal(fields["review_fall_percent"]),
        )
        jobs.execute(ModelRun, run.pk, services.execute_model_run)
        run.refresh_from_db()
        return run


def random_answers(version, rng, *, complex_answers: bool = True) -> dict:
    """An answer to every question, chosen at random, none contradicting another (options'
    `excludes`); with complex_answers=False, none that sends the person to a costed plan."""
    from allocation.domain import engine

    definition = version.parsed if hasattr(version, "parsed") else version

    def allowed(question):
        return [o for o in question.options if complex_answers or not o.complex]

    answers = {q.code: rng.choice(allowed(q)).code for q in definition.questions}
    for _ in range(200):
        found = engine.contradictions(definition, answers)
        if not found:
            return answers
        question = definition.question(found[0]["question"])
        others = [o.code for o in allowed(question) if o.code != found[0]["code"]]
        answers[question.code] = rng.choice(others)
    raise AssertionError("Could not find answers that do not contradict each other")


class LiveVersionFactory(DraftVersionFactory):
    """A version made live as the pages would: a draft, modelled by its author, then published
    by a second commissioner (RAS-SAME-PERSON) from `effective_from` (today by default)."""

    effective_from = None
    publisher = None

    @classmethod
    def _create(cls, model_class, *, effective_from, publisher, acting_user=None, **kwargs):
        import datetime as dt

        from django.utils import timezone

        from accounts.roles import Role
        from accounts.tests.factories import UserFactory

        author = acting_user or UserFactory(role=Role.COMMISSIONER)
        draft = super()._create(model_class, acting_user=author, **kwargs)
        CompletedModelRunFactory(version=draft, acting_user=author)
        publisher = publisher or UserFactory(role=Role.COMMISSIONER)
        when = effective_from or timezone.localdate()
        assert isinstance(when, dt.date)
        return actions.publish_version(draft, when, acting_user=publisher)


def saved_on_the_limits_page(client, commissioner, definition, *, maximum: str) -> RasVersion:
    """A draft of `definition` (parsed) saved once through the editor's period and limits
    page with a new maximum and nothing else changed: the draft, as stored afterwards."""
    from allocation.domain.definition import to_dict

    draft = DraftVersionFactory(definition=to_dict(definition), acting_user=commissioner)
    response = client.post(
        f"/ras/versions/{draft.pk}/limits/",
        {"period": definition.period, "minimum": definition.minimum or "", "maximum": maximum},
    )
    assert response.status_code == 302, response.content
    draft.refresh_from_db()
    return draft
