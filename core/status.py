"""Status pipelines as data, and the one function that moves any of them (Oscar's `set_status`).

Beside the model, declare its flow and name it on the model:

    ORDER_FLOW = StatusFlow(OrderStatus, {
        OrderStatus.RECEIVED: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
        ...
        OrderStatus.DELIVERED: set(),        # no moves out: a final state
    })

    class Order(models.Model):
        status_flow = ORDER_FLOW

Then a service moves it with `status_move(order, to=OrderStatus.SHIPPED, by=actor,
shipped_on=today)`: the row is locked and re-read, the move is checked against the status
*stored now* (not the copy the caller holds, which may be stale), only the fields that change
are saved, and the history row (django-simple-history, with `by` as its user; or the caller's
`record` callback, e.g. a stage-change row) is written in the same transaction.
"""

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class IllegalStatusMove(ValidationError):
    """The move is not allowed from the status the record has now."""

    def __init__(self, message: str, *, field: str = "status"):
        super().__init__({field: message}, code="illegal_status_move")


class StatusFlow:
    """Which status may follow which, over the statuses of `choices` (a TextChoices class).

    `moves[s]` is the set of statuses `s` may move to; a status with none is final.
    """

    def __init__(
        self,
        choices: type[models.TextChoices],
        moves: Mapping[str, Collection[str]],
        *,
        field: str = "status",
    ):
        self.choices = choices
        self.moves = {str(status): frozenset(map(str, to)) for status, to in moves.items()}
        self.field = field
        self.labels = dict(choices.choices)

    def __getitem__(self, status: str) -> frozenset[str]:
        return self.moves.get(status, frozenset())

    def can_move(self, current: str, to: str) -> bool:
        return to in self[current]

    @property
    def final(self) -> frozenset[str]:
        return frozenset(status for status, to in self.moves.items() if not to)

    def moves_from(self, current: str) -> list[tuple[str, str]]:
        """(status, label) the record may move to from `current`, in the choices' order."""
        return [(value, label) for value, label in self.choices.choices if value in self[current]]

    def refusal(self, model: type[models.Model], current: str, to: str) -> str:
        name = str(model._meta.verbose_name)
        label = self.labels.get
        article = "An" if name[0] in "aeiou" else "A"
        message = _("%(article)s %(name)s cannot go from %(label)s to %(label2)s.") % {
            "article": article,
            "name": name,
            "label": label(current, current),
            "label2": label(to, to),
        }
        if current in self.final:
            state = str(label(current, current)).lower()
            message += (
                f" A {state} {name} is final."
                if state[0] not in "aeiou"
                else (f" An {state} {name} is final.")
            )
        return message


def status_move(
    instance: models.Model,
    *,
    to: str,
    by=None,
    record: Callable[[models.Model, str], Any] | None = None,
    **changes: Any,
) -> models.Model:
    """Move `instance` along its model's `status_flow` to `to`, setting `changes` with it.

    In one transaction: lock the row and re-read it; refuse with `IllegalStatusMove` a move the
    flow does not allow from the status stored now; save only the fields whose stored value
    changes (and `updated_at`); write the history row (`by` as its user); then call
    `record(instance, previous_status)` for a change row of the caller's own.
    """
    model = type(instance)
    flow: StatusFlow = model.status_flow
    with transaction.atomic():
        stored = model._base_manager.select_for_update().get(pk=instance.pk)
        previous = getattr(stored, flow.field)
        if not flow.can_move(previous, to):
            raise IllegalStatusMove(flow.refusal(model, previous, to), field=flow.field)
        wanted = {flow.field: to, **changes}
        fields = [name for name, value in wanted.items() if getattr(stored, name) != value]
        for name, value in wanted.items():
            setattr(stored, name, value)
        if fields:
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                fields.append("updated_at")
            if by is not None:
                stored._history_user = by  # django-simple-history's user for this save
            # The row as stored now, not the caller's copy: an edit saved since the caller read
            # it is neither written back nor missing from the history row.
            stored.save(update_fields=fields)
        for field in model._meta.concrete_fields:
            setattr(instance, field.attname, getattr(stored, field.attname))
        if record is not None:
            record(instance, previous)
    return instance
