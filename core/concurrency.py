"""Optimistic concurrency: a second save of a stale copy is refused, never silently applied."""

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet


class EditConflict(ValidationError):
    """Someone else saved the record after this user loaded it.

    A `ValidationError`, so forms show it above the fields with the user's input kept; the API
    answers it with 409 Conflict (core.api).
    """

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message, code="conflict")
        self.current_version = current_version


def version_claim(queryset: QuerySet, *, pk: int, version: int, what: str) -> int:
    """Move row `pk` from `version` to the next one, or raise `EditConflict`.

    One conditional `UPDATE ... WHERE version = %s`: of two saves made from the same version,
    exactly one changes a row; the other changes none and is refused. Call it inside the
    transaction that then writes the new values.
    """
    if queryset.filter(pk=pk, version=version).update(version=F("version") + 1) == 1:
        return version + 1
    current = queryset.filter(pk=pk).values_list("version", flat=True).first()
    raise EditConflict(
        f"Someone else changed this {what} since you opened it. Your input is kept below; "
        "compare it with the current values and save again to keep yours.",
        current_version=current or 0,
    )
