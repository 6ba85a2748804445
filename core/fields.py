"""Model fields every app shares."""

from django.core.validators import MinValueValidator
from django.db import models


class PenceField(models.BigIntegerField):
    """An amount of money in whole pence (see core/money.py for why)."""

    def __init__(self, *args, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        if not allow_negative:
            kwargs.setdefault("validators", [MinValueValidator(0)])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.allow_negative:
            kwargs["allow_negative"] = True
        kwargs.pop("validators", None)
        return name, path, args, kwargs
