"""Writing a model's fields from input, with an allow-list (HackSoft's `model_update`)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from .concurrency import version_claim

# A database constraint broken by a write made at the same instant that no validation could
# name (the rows were not there yet when the input was checked, nor after).
RACED_CONSTRAINT = _(
    "Someone saved a conflicting record at the same moment. Check the values and save again."
)


def save_validated(instance: models.Model, **save_kwargs: Any) -> models.Model:
    """`full_clean()` then save `instance` in a savepoint.

    Two requests that create the same unique value at once both pass the validation; the
    database refuses the second. That `IntegrityError` is turned back into the field error the
    validation now finds (or a general one), so the user gets a 400 with a message, never a
    500, and the caller's transaction stays usable.
    """
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.full_clean()
        raise ValidationError(RACED_CONSTRAINT, code="raced") from None
    return instance


def model_update(
    *,
    instance: models.Model,
    fields: Iterable[str],
    data: dict[str, Any],
    save: bool = True,
    check: Callable[[models.Model], None] | None = None,
    version: int | None = None,
) -> tuple[models.Model, bool]:
    """Set on `instance` the `fields` that `data` carries, and save the ones that changed.

    Only the allow-listed `fields` are written: any other key of `data` (the account of a
    record that never moves, its status, a field a serializer grows later) is ignored. If
    something changed: `check(instance)` for the caller's own rules, `full_clean()`, then
    `save(update_fields=...)` of the changed fields (and `updated_at`); an unsaved instance
    is inserted whole. A constraint broken by a concurrent write after the validation is
    validated again, so the user gets the field error rather than a server error
    (`save_validated`). With `save=False` only the values are set (for a caller that saves
    inside its own transaction).

    `version` is the record's `version` the user's input was made from: the save then first
    claims the row from that version (`core.concurrency.version_claim`, which also locks it),
    so input made from a copy someone has saved since is refused with `EditConflict` instead
    of silently writing the old values back. Returns the instance and whether anything changed.
    """
    adding = instance._state.adding
    changed = [
        field
        for field in fields
        if field in data and (adding or _differs(instance, field, data[field]))
    ]
    for field in changed:
        setattr(instance, field, data[field])
    if not save or not (changed or adding):
        return instance, bool(changed)
    if check is not None:
        check(instance)
    update_fields = None
    if not adding:
        update_fields = [*changed]
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
    with transaction.atomic():
        if version is not None and not adding:
            instance.version = version_claim(
                type(instance)._base_manager.all(),
                pk=instance.pk,
                version=version,
                what=str(instance._meta.verbose_name),
            )
        save_validated(instance, update_fields=update_fields)
    return instance, bool(changed)


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.many_to_one or field.one_to_one:  # compare ids: no query for the related row
        return getattr(instance, field.attname) != getattr(value, "pk", value)
    return getattr(instance, name) != value
