"""Constraint helpers shared by the deals models."""

from django.db import models
from django.db.models import Q


def _choice_check(name: str, field: str, choices: type[models.TextChoices]):
    return models.CheckConstraint(name=name, condition=Q(**{f"{field}__in": choices.values}))


def _percent_check(name: str, field: str):
    return models.CheckConstraint(
        name=name, condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100})
    )
