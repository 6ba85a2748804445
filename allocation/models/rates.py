"""The council's reference rates, with the dates each is in force (allocation/domain/rates.py
says which services there are and what unit each is priced in).

At most one rate is in force for a service on any date: a new rate ends the one before it
the day before it starts (allocation.actions.add_reference_rate), an open-ended rate is
unique per service, and PostgreSQL refuses overlapping dates with a trigger (migration 0007).
Rates are never edited: a correction is a new rate.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.fields import PenceField
from core.historical import HistoricalRecords
from core.money import format_pence

from ..domain import rates as catalogue


class ReferenceRateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reference rates are public policy: anyone signed in may read them."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self

    def on(self, date: dt.date | None = None):
        """The rates in force on a date (today by default), one at most per service."""
        date = date or timezone.localdate()
        return self.filter(effective_from__lte=date).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=date)
        )

    def in_force(self, *, on: dt.date | None = None) -> dict[str, int]:
        """{service code: rate in pence} for the rates in force on a date (today by default).

        What other apps call: the budget explanation's "what the amount could buy", and the
        unit costs a support plan starts from."""
        return dict(self.on(on).values_list("service", "rate_pence"))


class ReferenceRate(models.Model):
    service = models.CharField(max_length=40, choices=catalogue.CHOICES)
    rate_pence = PenceField(help_text="The cost of one unit (an hour, a night, a week...)")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="Where the rate comes from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ReferenceRateQuerySet.as_manager()

    class Meta:
        ordering = ["service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "effective_from"], name="reference_rate_one_start"
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(effective_to__isnull=True),
                name="reference_rate_one_open_ended",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="reference_rate_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(rate_pence__gt=0), name="reference_rate_positive"),
        ]

    def __str__(self):
        return (
            f"{self.label}: {format_pence(self.rate_pence)} {self.per} from {self.effective_from}"
        )

    @property
    def service_info(self) -> catalogue.Service:
        return catalogue.BY_CODE[self.service]

    @property
    def label(self) -> str:
        return self.service_info.label

    @property
    def unit(self) -> str:
        return self.service_info.unit

    @property
    def per(self) -> str:
        return self.service_info.per

    def in_force_on(self, date: dt.date) -> bool:
        return self.effective_from <= date and (
            self.effective_to is None or self.effective_to >= date
        )
