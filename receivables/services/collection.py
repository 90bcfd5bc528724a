"""Collection: what was done to get paid (calls, letters, promises, disputes, holds)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from deals.models import Complaint, ComplaintStatus
from team.models import User

from ..access import can_manage_money, check_can_log_collection
from ..models import (
    OPEN_INVOICE_STATUSES,
    CollectionAction,
    DunningLevel,
    Invoice,
    StatementAnswer,
)
from ..selectors.statement import statement_balance
from ..signals import dunning_letters_due

Kind = CollectionAction.Kind
# Levels whose step is a document for the client: the run asks for their letters.
LETTER_CHANNELS = (DunningLevel.Channel.LETTER, DunningLevel.Channel.EMAIL)
NO_BILLING_CONTACT = gettext_lazy(
    "No billing contact with an e-mail address: the letter waits for finance to send it "
    "(My reports of the nightly run's user, or the invoice page)."
)


def collection_action_log(
    *,
    actor: User,
    account: Account,
    kind: str,
    happened_on: date,
    invoice: Invoice | None = None,
    note: str = "",
    promised_on: date | None = None,
    promised_amount: Decimal | None = None,
    hold_until: date | None = None,
    complaint: Complaint | None = None,
) -> CollectionAction:
    """Log a call, e-mail, letter, promise to pay, dispute or hold request on an account (and
    optionally one of its invoices).

    A promise needs a date and an amount. A dispute takes the invoice out of dunning until its
    complaint is resolved. A hold asked by the sales side waits for finance; finance's own hold
    applies at once.
    """
    check_can_log_collection(actor, account)
    if kind not in Kind.values or kind == Kind.LEVEL:
        raise ValidationError({"kind": _("Choose what was done.")})
    if invoice is not None and invoice.account_id != account.pk:
        raise ValidationError({"invoice": _("This is another account's invoice.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("This cannot have happened in the future.")})
    action = CollectionAction(
        account=account,
        invoice=invoice,
        kind=kind,
        happened_on=happened_on,
        note=note.strip(),
        by=actor,
    )
    if kind == Kind.PROMISE:
        if promised_on is None:
            raise ValidationError({"promised_on": _("When did they promise to pay?")})
        if promised_amount is None or promised_amount <= 0:
            raise ValidationError({"promised_amount": _("How much did they promise?")})
        action.promised_on, action.promised_amount = promised_on, promised_amount
        action.promise_state = CollectionAction.PromiseState.OPEN
    if kind in (Kind.DISPUTE, Kind.HOLD) and invoice is None:
        raise ValidationError({"invoice": _("Say which invoice.")})
    if kind == Kind.DISPUTE:
        if complaint is None or complaint.account_id != account.pk:
            raise ValidationError({"complaint": _("Link the account's complaint it is about.")})
        action.complaint = complaint
    if kind == Kind.HOLD:
        if hold_until is None or hold_until <= timezone.localdate():
            raise ValidationError({"hold_until": _("Give a date after today.")})
        action.hold_until = hold_until
        action.hold_state = (
            CollectionAction.HoldState.APPROVED
            if can_manage_money(actor)
            else CollectionAction.HoldState.REQUESTED
        )
    with transaction.atomic():
        action.save()
        if kind == Kind.DISPUTE:
            invoice.disputed = complaint
            invoice.save(update_fields=["disputed", "updated_at"])
        if action.hold_state == CollectionAction.HoldState.APPROVED:
            invoice.hold_until = hold_until
            invoice.save(update_fields=["hold_until", "updated_at"])
    return action


def collection_hold_decide(
    *, actor: User, action: CollectionAction, approve: bool
) -> CollectionAction:
    """Finance approves or refuses a hold the account's team asked for. An approved hold takes
    the invoice out of dunning until its date, after which it expires by itself (the nightly
    run chases it again); the invoice's history records who put it on hold."""
    if not can_manage_money(actor):
        raise PermissionDenied(_("Only finance decides on a hold."))
    with transaction.atomic():
        locked = (
            CollectionAction.objects.select_for_update(of=("self",))
            .select_related("invoice")
            .get(pk=action.pk)
        )
        if locked.kind != Kind.HOLD or locked.hold_state != CollectionAction.HoldState.REQUESTED:
            raise ValidationError(_("This hold is decided already."))
        if approve and locked.hold_until <= timezone.localdate():
            raise ValidationError(
                {"hold_until": _("The date asked for has passed; ask for a new hold.")}
            )
        locked.hold_state = (
            CollectionAction.HoldState.APPROVED if approve else CollectionAction.HoldState.REFUSED
        )
        locked.save(update_fields=["hold_state"])
        if approve:
            invoice = locked.invoice
            invoice.hold_until = locked.hold_until
            invoice._change_reason = _("Hold approved by %(who)s") % {"who": actor}
            invoice.save(update_fields=["hold_until", "updated_at"])
    return locked


def statement_answer_record(
    *,
    actor: User,
    account: Account,
    as_of: date,
    answer: str,
    disputed_invoices=(),
    note: str = "",
) -> StatementAnswer:
    """Record the client's answer to the statement of account as of `as_of`: confirmed, or
    disputed with the invoices it names (at least one, or a note saying what)."""
    check_can_log_collection(actor, account)
    if answer not in StatementAnswer.Kind.values:
        raise ValidationError({"answer": _("Did they confirm or dispute the balance?")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("A statement cannot be of a day still to come.")})
    disputed = list(disputed_invoices)
    if any(invoice.account_id != account.pk for invoice in disputed):
        raise ValidationError({"disputed_invoices": _("These are another account's invoices.")})
    if answer == StatementAnswer.Kind.DISPUTED and not disputed and not note.strip():
        raise ValidationError(
            {"disputed_invoices": _("Say which invoices they dispute, or what, in the note.")}
        )
    if answer == StatementAnswer.Kind.CONFIRMED:
        disputed = []
    with transaction.atomic():
        record = StatementAnswer.objects.create(
            account=account,
            as_of=as_of,
            currency=account.currency,
            balance=statement_balance(account=account, currency=account.currency, day=as_of),
            answer=answer,
            note=note.strip(),
            recorded_by=actor,
        )
        record.disputed_invoices.set(disputed)
    return record


# --- The nightly dunning run ------------------------------------------------------------------


def dunning_run(*, today: date) -> dict[str, int]:
    """Propose the next dunning level for every overdue invoice, settle promises to pay.

    One level at a time: an invoice moves from the level it reached to the next one whose
    days have passed, never further in one run, never to a level it had. Disputed invoices
    (their complaint not resolved), invoices on hold until today or later, and paid ones are
    not chased. A promise whose date has passed is kept if its invoice (or, without one, the
    account) has nothing overdue left, else broken; a broken promise raises its invoice one
    level. Safe to run twice on the same day: an invoice that got a level today is left for
    tomorrow, and a level is recorded once per invoice (a unique constraint).
    """
    moved, letters = 0, set()
    with transaction.atomic():
        counts, raised = _promises_settle(today=today)
        moved_today = CollectionAction.objects.filter(
            invoice=OuterRef("pk"), kind=Kind.LEVEL, happened_on=today
        )
        levels = list(DunningLevel.objects.order_by("-rank"))
        for i, level in enumerate(levels):
            below = levels[i + 1] if i + 1 < len(levels) else None
            chased = (
                Invoice.objects.select_for_update(of=("self",))
                .exclude(pk__in=raised)
                .exclude(Exists(moved_today))
                .filter(
                    status__in=OPEN_INVOICE_STATUSES,
                    due_date__lte=today - timedelta(days=level.days_after_due),
                )
                .filter(Q(hold_until__isnull=True) | Q(hold_until__lt=today))
                .filter(Q(disputed__isnull=True) | Q(disputed__status=ComplaintStatus.RESOLVED))
            )
            chased = (
                chased.filter(dunning_level=below)
                if below
                else chased.filter(dunning_level__isnull=True)
            )
            invoices = list(chased.values_list("pk", "account_id"))
            moved += _level_apply(invoices=invoices, level=level, today=today)
            if level.channel in LETTER_CHANNELS:
                letters |= {
                    (account_id, level.pk, today.isoformat()) for _pk, account_id in invoices
                }
        if letters:
            actor = _system_user()
            addressed = _letters_addressed(letters=letters, levels=levels, today=today)
            transaction.on_commit(
                lambda: dunning_letters_due.send(
                    sender=DunningLevel, letters=addressed, actor=actor
                )
            )
    return {
        "moved": moved + len(raised),
        "promises_kept": counts[CollectionAction.PromiseState.KEPT],
        "promises_broken": counts[CollectionAction.PromiseState.BROKEN],
    }


def _letters_addressed(
    *, letters: set[tuple[int, int, str]], levels: list[DunningLevel], today: date
) -> list[tuple[int, int, str, int | None]]:
    """Each letter with the contact it is e-mailed to: the account's billing contact, at levels
    whose channel is e-mail. Without one (or without their address) the letter waits for
    finance, and the level's entry in the collection history says so. Two queries and one
    update per e-mailed account."""
    by_email = {level.pk for level in levels if level.channel == DunningLevel.Channel.EMAIL}
    accounts = Account.objects.select_related("billing_contact").in_bulk(
        {account_id for account_id, level_id, _day in letters if level_id in by_email}
    )
    addressed = []
    for account_id, level_id, day in sorted(letters):
        send_to = None
        if level_id in by_email:
            contact = accounts[account_id].billing_contact
            if contact is not None and contact.email:
                send_to = contact.pk
                note = _("The letter goes by e-mail to the billing contact, %(name)s <%(email)s>.")
                note %= {"name": contact.full_name, "email": contact.email}
            else:
                note = str(NO_BILLING_CONTACT)
            CollectionAction.objects.filter(
                account_id=account_id, level_id=level_id, kind=Kind.LEVEL, happened_on=today
            ).update(note=note)
        addressed.append((account_id, level_id, day, send_to))
    return addressed


def _level_apply(*, invoices: list[tuple[int, int]], level: DunningLevel, today: date) -> int:
    if not invoices:
        return 0
    Invoice.objects.filter(pk__in=[pk for pk, _ in invoices]).update(dunning_level=level)
    system = _system_user()
    CollectionAction.objects.bulk_create(
        [
            CollectionAction(
                account_id=account_id,
                invoice_id=pk,
                kind=Kind.LEVEL,
                level=level,
                happened_on=today,
                note=_("Proposed by the nightly run: %(l)s by %(c)s.")
                % {"l": level.name, "c": level.get_channel_display()},
                by=system,
            )
            for pk, account_id in invoices
        ],
        ignore_conflicts=True,
    )
    return len(invoices)


def _promises_settle(*, today: date) -> tuple[dict[str, int], set[int]]:
    """Promises past their date: kept or broken. Returns the counts and the invoices a broken
    promise raised one level."""
    due = list(
        CollectionAction.objects.select_for_update(of=("self",))
        .filter(kind=Kind.PROMISE, promise_state=CollectionAction.PromiseState.OPEN)
        .filter(promised_on__lt=today)
        .select_related("invoice__dunning_level")
    )
    overdue_accounts = set(
        Invoice.objects.filter(
            account_id__in={p.account_id for p in due},
            status__in=OPEN_INVOICE_STATUSES,
            due_date__lt=today,
        ).values_list("account_id", flat=True)
    )
    counts = {CollectionAction.PromiseState.KEPT: 0, CollectionAction.PromiseState.BROKEN: 0}
    levels = list(DunningLevel.objects.order_by("rank"))
    raised: set[int] = set()
    for promise in due:
        if promise.invoice is not None:
            kept = promise.invoice.status not in OPEN_INVOICE_STATUSES
        else:
            kept = promise.account_id not in overdue_accounts
        promise.promise_state = (
            CollectionAction.PromiseState.KEPT if kept else CollectionAction.PromiseState.BROKEN
        )
        promise.save(update_fields=["promise_state"])
        counts[promise.promise_state] += 1
        if not kept and promise.invoice is not None:
            reached = promise.invoice.dunning_level.rank if promise.invoice.dunning_level else 0
            step = next((lv for lv in levels if lv.rank > reached), None)
            if step is not None and promise.invoice_id not in raised:
                _level_apply(
                    invoices=[(promise.invoice_id, promise.account_id)], level=step, today=today
                )
                raised.add(promise.invoice_id)
    return counts, raised


def _system_user() -> User:
    """Who the nightly run's entries are by: the first admin (the run acts for finance)."""
    return (
        User.objects.filter(Q(role="admin") | Q(is_superuser=True)).order_by("pk").first()
        or User.objects.filter(role="finance").order_by("pk").first()
    )
