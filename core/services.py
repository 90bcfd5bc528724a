"""Writing a model's fields from input, with an allow-list (HackSoft's `model_update`)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, models, transaction


def model_update(
    *,
    instance: models.Model,
    fields: Iterable[str],
    data: dict[str, Any],
    save: bool = True,
    check: Callable[[models.Model], None] | None = None,
) -> tuple[models.Model, bool]:
    """Set on `instance` the `fields` that `data` carries, and save the ones that changed.

    Only the allow-listed `fields` are written: any other key of `data` (the account of a
    record that never moves, its status, a field a serializer grows later) is ignored. If
    something changed: `check(instance)` for the caller's own rules, `full_clean()`, then
    `save(update_fields=...)` of the changed fields (and `updated_at`); an unsaved instance
    is inserted whole. A constraint broken by a concurrent write after the validation is
    validated again, so the user gets the field error rather than a server error. With
    `save=False` only the values are set (for a caller that saves inside its own
    transaction). Returns the instance and whether anything changed.
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
    instance.full_clean()
    update_fields = None
    if not adding:
        update_fields = [*changed]
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:
        instance.full_clean()
        raise
    return instance, bool(changed)


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.many_to_one or field.one_to_one:  # compare ids: no query for the related row
        return getattr(instance, field.attname) != getattr(value, "pk", value)
    return getattr(instance, name) != value
