"""Commission periods: calculate, close, reopen, pay; adjustments and disputes.

Every move is one transaction that locks the period row and writes its audit row. Closing
makes the period's entries and statements immutable in the database (migration 0003's
triggers); a later correction is an adjustment entry in the next open period that names the
entry it corrects.
"""

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import money_round, validate_currency
from team.models import User

from .. import access
from ..models import (
    WITHDRAWN,
    CommissionEntry,
    CommissionPeriod,
    Dispute,
    DisputeStatus,
    EntryKind,
    InvoiceCancellation,
    PeriodEvent,
    PeriodStatus,
    Statement,
)
from ..signals import period_closed
from .ledger import Multipliers, month_end, month_of, period_rows_compute
from .schemes import RuleBook, multiplier_for, rulebook_load

ZERO = Decimal("0")
WRITABLE = (PeriodStatus.OPEN, PeriodStatus.CALCULATED)
COMPUTED_FIELDS = (
    "kind", "kam_id", "invoice_id", "invoice_line_id", "allocation_id", "credit_note_id",
    "corrects_id", "account_id", "scheme_version_id", "sale_key", "currency", "on_date", "base",
    "base_before", "slices", "share", "commission", "multiplier", "fulfilment", "amount", "note",
)  # fmt: skip


class PeriodClosed(ValidationError):
    """A write to a period whose entries are frozen."""

    def __init__(self, period: CommissionPeriod):
        super().__init__(
            _(
                "The commission period %(month)s is %(status)s: its entries cannot change. "
                "Correct it with an adjustment in the next open period."
            )
            % {"month": f"{period.month:%Y-%m}", "status": period.get_status_display().lower()},
            code="period_closed",
        )


def period_get_or_create(*, month: date) -> CommissionPeriod:
    month = month_of(month)
    try:
        with transaction.atomic():
            return CommissionPeriod.objects.get_or_create(month=month)[0]
    except IntegrityError:  # created at the same moment by another request
        return CommissionPeriod.objects.get(month=month)


def _lock(period: CommissionPeriod) -> CommissionPeriod:
    return CommissionPeriod.objects.select_for_update().get(pk=period.pk)


def _event(period, action, actor, reason=""):
    PeriodEvent.objects.create(period=period, action=action, actor=actor, reason=reason)


def period_calculate(*, actor: User, period: CommissionPeriod) -> CommissionPeriod:
    """Build every KAM's statement of `period` from its sources. Run again, it gives the same
    entries (updated in place, none twice: one per source and period); two runs at once
    serialise on the period's row lock, and the second finds nothing to change."""
    access.check_can_run_periods(actor)
    if period.month > month_of(timezone.localdate()):
        raise ValidationError(_("A month that has not begun cannot be calculated."))
    with transaction.atomic():
        period = _lock(period)
        if period.status not in WRITABLE:
            raise PeriodClosed(period)
        book = rulebook_load()
        multipliers = Multipliers(start=period.month, end=month_end(period.month))
        wanted = period_rows_compute(period=period, book=book, multipliers=multipliers)
        # Read as plain rows (thousands a month): an entry becomes an instance only to change.
        existing = {
            key: (pk, values)
            for pk, key, *values in CommissionEntry.objects.filter(period=period)
            .exclude(kind=EntryKind.ADJUSTMENT)
            .values_list("pk", "source_key", *COMPUTED_FIELDS)
        }
        _stale_remove([pk for key, (pk, _v) in existing.items() if key not in wanted])
        new, changed = [], []
        for key, row in wanted.items():
            pk, values = existing.get(key, (None, None))
            if pk is None:
                new.append(CommissionEntry(period=period, source_key=key, created_by=actor, **row))
            elif values != [row[f] for f in COMPUTED_FIELDS]:
                changed.append(CommissionEntry(pk=pk, **{f: row[f] for f in COMPUTED_FIELDS}))
        CommissionEntry.objects.bulk_create(new)
        if changed:
            CommissionEntry.objects.bulk_update(changed, list(COMPUTED_FIELDS))
        statements_rebuild(period=period, book=book, multipliers=multipliers)
        period.status = PeriodStatus.CALCULATED
        period.calculated_at = timezone.now()
        period.save(update_fields=["status", "calculated_at"])
        _event(period, PeriodEvent.Action.CALCULATE, actor)
    return period


def _stale_remove(pks: list[int]) -> None:
    """Entries (by pk) their sources no longer produce go, except those a dispute or a
    correction names: they stay, withdrawn to zero, so the KAM's dispute and finance's answer
    keep the line they are about (and no correction points at nothing)."""
    if not pks:
        return
    named = set(Dispute.objects.filter(entry_id__in=pks).values_list("entry_id", flat=True))
    named |= set(
        CommissionEntry.objects.filter(corrects_id__in=pks).values_list("corrects_id", flat=True)
    )
    CommissionEntry.objects.filter(pk__in=[pk for pk in pks if pk not in named]).delete()
    CommissionEntry.objects.filter(pk__in=named).exclude(note=WITHDRAWN).update(
        amount=ZERO, commission=ZERO, share=None, slices=[], note=WITHDRAWN
    )


def statements_rebuild(
    *,
    period: CommissionPeriod,
    kam_ids=None,
    book: RuleBook | None = None,
    multipliers: Multipliers | None = None,
) -> None:
    """Each KAM's statement of `period` as the sums of their entries, per currency (the rule
    book and the fulfilment figures of the calculation that wrote them, if given)."""
    entries = CommissionEntry.objects.filter(period=period)
    statements = Statement.objects.filter(period=period)
    if kam_ids is not None:
        entries, statements = (
            entries.filter(kam_id__in=kam_ids),
            statements.filter(kam_id__in=kam_ids),
        )
    sums: dict[tuple, dict] = defaultdict(lambda: {k.value: ZERO for k in EntryKind} | {"count": 0})
    for kam_id, currency, kind, amount in entries.values_list(
        "kam_id", "currency", "kind", "amount"
    ):
        bucket = sums[(kam_id, currency)]
        bucket[kind] += amount  # added in Python: SQLite sums decimals as floats
        bucket["count"] += 1
    current = {(s.kam_id, s.currency): s for s in statements}
    gone = [s.pk for key, s in current.items() if key not in sums]
    if gone:
        Statement.objects.filter(pk__in=gone).delete()
    book = book or rulebook_load()
    multipliers = multipliers or Multipliers(start=period.month, end=month_end(period.month))
    last_day = month_end(period.month).toordinal() - 1
    kams = {u.pk: u for u in User.objects.filter(pk__in={k for k, _c in sums})}
    multipliers.load(kams)
    for (kam_id, currency), bucket in sums.items():
        kam = kams[kam_id]
        rules = book.rules_for(
            kam_id=kam_id, territory_id=kam.territory_id, on=date.fromordinal(last_day)
        )
        fulfilled = multipliers.fulfilled(kam_id)
        factor = multiplier_for(rules, fulfilled.ratio)[0] if rules else None
        values = {
            "earned": bucket[EntryKind.EARNED],
            "clawback": bucket[EntryKind.CLAWBACK],
            "adjustments": bucket[EntryKind.ADJUSTMENT],
            "total": bucket[EntryKind.EARNED]
            + bucket[EntryKind.CLAWBACK]
            + bucket[EntryKind.ADJUSTMENT],
            "entry_count": bucket["count"],
            "fulfilment": fulfilled.percent,
            "multiplier": factor,
        }
        statement = current.get((kam_id, currency))
        if statement is None:
            Statement.objects.create(period=period, kam_id=kam_id, currency=currency, **values)
        elif any(getattr(statement, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(statement, k, v)
            statement.save(update_fields=[*values, "updated_at"])


def period_close(*, actor: User, period: CommissionPeriod) -> CommissionPeriod:
    """Freeze a calculated period; refused while an earlier period is still open or the month
    has not ended. The KAMs' statement PDFs follow (reports listens to `period_closed`)."""
    access.check_can_run_periods(actor)
    with transaction.atomic():
        period = _lock(period)
        if period.status != PeriodStatus.CALCULATED:
            raise ValidationError(
                _("Only a calculated period can be closed; this one is %(status)s.")
                % {"status": period.get_status_display().lower()}
            )
        if month_end(period.month) > timezone.localdate():
            raise ValidationError(_("A month can be closed only once it has ended."))
        earlier = list(
            CommissionPeriod.objects.filter(month__lt=period.month, status__in=WRITABLE)
            .order_by("month")
            .values_list("month", flat=True)
        )
        if earlier:
            raise ValidationError(
                _("Close the earlier periods first: %(months)s.")
                % {"months": ", ".join(f"{m:%Y-%m}" for m in earlier)}
            )
        period.status = PeriodStatus.CLOSED
        period.closed_at = timezone.now()
        period.closed_by = actor
        period.save(update_fields=["status", "closed_at", "closed_by"])
        _event(period, PeriodEvent.Action.CLOSE, actor)
        statement_ids = list(period.statements.values_list("pk", flat=True))
        period_id, actor_id = period.pk, actor.pk
        transaction.on_commit(
            lambda: period_closed.send(
                sender=CommissionPeriod,
                period_id=period_id,
                actor_id=actor_id,
                statement_ids=statement_ids,
            )
        )
    return period


def period_reopen(*, actor: User, period: CommissionPeriod, reason: str) -> CommissionPeriod:
    """Admin only, with a reason, and only the latest closed period (a later closed one would
    otherwise stand on figures that may change)."""
    if not access.can_reopen(actor):
        raise PermissionDenied(_("Only an administrator reopens a closed period."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the period is reopened.")})
    with transaction.atomic():
        period = _lock(period)
        if period.status != PeriodStatus.CLOSED:
            raise ValidationError(_("Only a closed (not yet paid) period can be reopened."))
        if CommissionPeriod.objects.filter(
            month__gt=period.month, status__in=[PeriodStatus.CLOSED, PeriodStatus.PAID]
        ).exists():
            raise ValidationError(_("A later period is closed: reopen that one first."))
        period.status = PeriodStatus.OPEN
        period.save(update_fields=["status"])
        _event(period, PeriodEvent.Action.REOPEN, actor, reason.strip())
    return period


def period_mark_paid(*, actor: User, period: CommissionPeriod) -> CommissionPeriod:
    access.check_can_run_periods(actor)
    with transaction.atomic():
        period = _lock(period)
        if period.status != PeriodStatus.CLOSED:
            raise ValidationError(_("Only a closed period can be marked paid."))
        period.status = PeriodStatus.PAID
        period.save(update_fields=["status"])
        _event(period, PeriodEvent.Action.PAY, actor)
    return period


def invoice_cancellation_record(*, invoice_id: int, on: date) -> InvoiceCancellation:
    """An invoice was cancelled on `on`: the calculation of that month (or, if it is closed
    already, of the next open one) claws back what the invoice's lines earned, naming each
    closed entry it takes back. Nothing is written to any period here."""
    return InvoiceCancellation.objects.get_or_create(
        invoice_id=invoice_id, defaults={"on_date": on}
    )[0]


def _next_writable_period(after: date | None) -> CommissionPeriod:
    """The first open (or calculated) period from `after` on: where corrections go, the
    corrected entry's own period while it is still open. Periods close in order, so otherwise
    it is the month after the latest closed one (created if need be)."""
    periods = CommissionPeriod.objects.filter(status__in=WRITABLE).order_by("month")
    if after is not None:
        periods = periods.filter(month__gte=after)
    period = periods.first()
    if period is not None:
        return period
    frozen = (
        CommissionPeriod.objects.exclude(status__in=WRITABLE)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    months = [m for m in (after, frozen) if m is not None]
    month = month_end(max(months)) if months else month_of(timezone.localdate())
    return period_get_or_create(month=month)


def _day_in(period: CommissionPeriod) -> date:
    today = timezone.localdate()
    return today if period.month <= today < month_end(period.month) else period.month


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter an amount, e.g. 120.50 or -35.00.")}) from None
    if not amount.is_finite() or amount == 0 or abs(amount) >= Decimal("1e12"):
        raise ValidationError({"amount": _("Enter an amount other than zero.")})
    return amount


def adjustment_add(
    *,
    actor: User,
    kam: User,
    amount,
    currency: str,
    note: str,
    corrects: CommissionEntry | None = None,
    period: CommissionPeriod | None = None,
    key: str = "",
) -> CommissionEntry:
    """An adjustment entry (finance): in `period` if it is open, else in the corrected entry's
    period if that is open, else in the next open one after it; it names the entry it
    corrects."""
    access.check_can_run_periods(actor)
    amount = _amount(amount)
    if not note.strip():
        raise ValidationError({"note": _("Say what the adjustment is for.")})
    validate_currency(currency)
    with transaction.atomic():
        if period is None:
            period = _next_writable_period(corrects.period.month if corrects else None)
        period = _lock(period)
        if period.status not in WRITABLE:
            raise PeriodClosed(period)
        entry = CommissionEntry(
            period=period,
            kam=kam,
            kind=EntryKind.ADJUSTMENT,
            source_key=key or f"adjustment:{uuid.uuid4().hex[:20]}",
            corrects=corrects,
            invoice_id=corrects.invoice_id if corrects else None,
            account_id=corrects.account_id if corrects else None,
            sale_key=corrects.sale_key if corrects else "",
            currency=currency,
            on_date=_day_in(period),
            amount=money_round(amount, currency),
            commission=money_round(amount, currency),
            note=note.strip()[:300],
            created_by=actor,
        )
        entry.save()
        statements_rebuild(period=period, kam_ids=[kam.pk])
    return entry


def dispute_raise(*, actor: User, entry: CommissionEntry, reason: str) -> Dispute:
    """The KAM objects to any line their statement shows, in whatever state its period is:
    a line of an open period may still change when finance recalculates, and the dispute
    stays with it (a line its sources no longer produce is withdrawn to zero, not deleted)."""
    if not access.can_dispute(actor, entry):
        raise PermissionDenied(_("Only the KAM the line is for can dispute it."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with this line.")})
    dispute = Dispute(entry=entry, raised_by=actor, reason=reason.strip())
    try:
        with transaction.atomic():
            dispute.full_clean()
            dispute.save()
    except IntegrityError:
        raise ValidationError(_("This line is disputed already.")) from None
    return dispute


def dispute_resolve(
    *, actor: User, dispute: Dispute, accept: bool, resolution: str, amount=None
) -> Dispute:
    """Finance rejects a dispute with a reason, or accepts it: an adjustment of `amount` in the
    next open period, naming the disputed entry."""
    access.check_can_resolve(actor)
    with transaction.atomic():
        dispute = (
            Dispute.objects.select_for_update()
            .select_related("entry__period", "entry__kam")
            .get(pk=dispute.pk)
        )
        if dispute.status != DisputeStatus.OPEN:
            raise ValidationError(_("This dispute is resolved already."))
        if not accept and not resolution.strip():
            raise ValidationError({"resolution": _("Say why the dispute is rejected.")})
        if accept:
            entry = dispute.entry
            dispute.adjustment = adjustment_add(
                actor=actor,
                kam=entry.kam,
                amount=amount,
                currency=entry.currency,
                note=(resolution.strip() or _("Dispute %(id)s accepted") % {"id": dispute.pk}),
                corrects=entry,
                key=f"dispute:{dispute.pk}",
            )
        dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
        dispute.resolution = resolution.strip()
        dispute.resolved_by = actor
        dispute.resolved_at = timezone.now()
        dispute.save(
            update_fields=["status", "resolution", "resolved_by", "resolved_at", "adjustment"]
        )
    return dispute
