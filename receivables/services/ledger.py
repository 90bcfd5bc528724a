"""The money ledger: invoices, credit notes, payments, allocations and reversals.

Every function here checks that the actor is finance (or an admin), validates, and writes in one
transaction. Whatever changes what an invoice or a payment has left open takes row locks first,
always in the same order (the payment, then the invoices by id), re-reads the running totals
under the lock, and only then writes; the check constraints on those totals are the last line
of defence. Errors name the field they are about.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.selectors import account_owner_on
from core.money import freeze_reporting_rate, money_round
from core.money import reporting_rates_fill as core_reporting_rates_fill
from deals.models import Contract, Order, OrderLine, OrderStatus, Product, Return
from team.models import User

from ..access import check_can_manage_money
from ..models import (
    OPEN_INVOICE_STATUSES,
    Allocation,
    CreditNote,
    CreditNoteReason,
    CreditProfile,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentReversal,
    PaymentSource,
    VatRate,
)
from ..signals import invoice_cancelled
from . import ledger_days

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineInput:
    """One line to invoice. `unit_cost` defaults to the product's cost on the issue day."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_code: str
    product: Product | None = None
    unit_cost: Decimal | None = None
    order_line: OrderLine | None = None


# --- Invoices ---------------------------------------------------------------------------------


def payment_terms_days(*, account: Account, contract: Contract | None) -> int:
    """The contract's terms, else the account's default terms, else the company's."""
    if contract is not None:
        return contract.payment_terms_days
    terms = (
        CreditProfile.objects.filter(account=account)
        .values_list("payment_terms_days", flat=True)
        .first()
    )
    return terms if terms is not None else settings.RECEIVABLES_DEFAULT_TERMS_DAYS


def invoice_number_next(*, issue_date: date) -> str:
    """The next number of the "FV/2026/000123" series of the issue year."""
    return _next_in(Invoice, f"FV/{issue_date.year}/")


def _next_in(model, stem: str) -> str:
    last = model.objects.filter(number__startswith=stem).aggregate(n=Max("number"))["n"]
    tail = last.rsplit("/", 1)[1] if last else ""
    return f"{stem}{(int(tail) + 1) if tail.isdigit() else 1:06d}"


def _vat_rates() -> dict[str, VatRate]:
    return {rate.code: rate for rate in VatRate.objects.filter(is_active=True)}


def _priced_lines(
    *, invoice: Invoice, lines: Sequence[LineInput], rates: dict[str, VatRate]
) -> list[InvoiceLine]:
    currency = invoice.currency
    priced = []
    for n, line in enumerate(lines, start=1):
        where = _("Line %(n)s") % {"n": n}
        if line.quantity is None or line.quantity <= 0:
            raise ValidationError({"lines": f"{where}: " + _("enter a quantity above zero.")})
        if line.unit_price is None or line.unit_price < 0:
            raise ValidationError({"lines": f"{where}: " + _("the unit price cannot be negative.")})
        rate = rates.get(line.vat_code)
        if rate is None:
            raise ValidationError(
                {"lines": f"{where}: " + _("unknown VAT rate %(code)r.") % {"code": line.vat_code}}
            )
        if line.product is not None and line.product.currency != currency:
            raise ValidationError(
                {
                    "lines": f"{where}: "
                    + _("%(product)s is priced in %(p)s, the invoice is in %(i)s.")
                    % {"product": line.product, "p": line.product.currency, "i": currency}
                }
            )
        unit_cost = line.unit_cost
        if unit_cost is None:
            unit_cost = line.product.unit_cost if line.product is not None else ZERO
        net = money_round(line.quantity * line.unit_price, currency)
        vat = money_round(net * rate.percent / HUNDRED, currency)
        priced.append(
            InvoiceLine(
                invoice=invoice,
                product=line.product,
                order_line=line.order_line,
                description=line.description or str(line.product or ""),
                quantity=line.quantity,
                unit_price=line.unit_price,
                unit_cost=unit_cost,
                vat_code=rate.code,
                vat_percent=rate.percent,
                net_amount=net,
                vat_amount=vat,
                gross_amount=net + vat,
                cost_amount=money_round(line.quantity * unit_cost, currency),
            )
        )
    return priced


def _quantities(rows) -> dict[int, Decimal]:
    """(key, summed quantity) rows as exact quantities (SQLite sums them as floats)."""
    return {key: Decimal(q).quantize(Decimal("0.001")) for key, q in rows}


def _check_order_lines_not_overinvoiced(lines: Sequence[LineInput]) -> None:
    """An order line is invoiced at most once per unit ordered. Call under transaction: the
    order lines are locked, so two invoices of the same order cannot both pass."""
    wanted: dict[int, Decimal] = {}
    for line in lines:
        if line.order_line is not None:
            wanted[line.order_line.pk] = wanted.get(line.order_line.pk, ZERO) + line.quantity
    if not wanted:
        return
    ordered = dict(
        OrderLine.objects.select_for_update()
        .filter(pk__in=wanted)
        .order_by("pk")
        .values_list("pk", "quantity")
    )
    invoiced = _quantities(
        InvoiceLine.objects.filter(order_line_id__in=wanted)
        .exclude(invoice__status=InvoiceStatus.CANCELLED)
        .values("order_line_id")
        .annotate(q=Sum("quantity"))
        .values_list("order_line_id", "q")
    )
    for pk, quantity in wanted.items():
        left = ordered[pk] - invoiced.get(pk, ZERO)
        if quantity > left:
            raise ValidationError(
                {
                    "lines": _("Order line %(pk)s has %(left)s left to invoice, not %(q)s.")
                    % {"pk": pk, "left": left.normalize(), "q": quantity.normalize()}
                }
            )


def reporting_rates_fill(*, rates: Iterable[tuple[str, str, date]]) -> int:
    """Invoices and credit notes issued while the table had no rate for their issue date take
    the one entered or imported now (`core.money.reporting_rates_fill`)."""
    return core_reporting_rates_fill(
        rates=rates,
        documents=[(Invoice.objects.all(), "issue_date"), (CreditNote.objects.all(), "issue_date")],
    )


def invoice_issue(
    *,
    actor: User,
    account: Account,
    issue_date: date,
    lines: Sequence[LineInput],
    currency: str,
    number: str = "",
    due_date: date | None = None,
    order: Order | None = None,
    contract: Contract | None = None,
    note: str = "",
) -> Invoice:
    """Issue an invoice with its lines; totals, VAT and cost are computed and frozen here.

    Without a due date, the due date is the issue date plus the payment terms (the contract's,
    else the account's, else the company's).
    """
    check_can_manage_money(actor)
    if not lines:
        raise ValidationError({"lines": _("An invoice needs at least one line.")})
    for field, record in (("order", order), ("contract", contract)):
        if record is not None and record.account_id != account.pk:
            raise ValidationError({field: _("This belongs to another account.")})
    if contract is None and order is not None and order.contract_id:
        contract = order.contract
    if due_date is None:
        due_date = date.fromordinal(
            issue_date.toordinal() + payment_terms_days(account=account, contract=contract)
        )
    if due_date < issue_date:
        raise ValidationError({"due_date": _("The due date cannot be before the issue date.")})
    invoice = Invoice(
        number=number.strip() or invoice_number_next(issue_date=issue_date),
        account=account,
        order=order,
        contract=contract,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        note=note,
        credited_to_id=account_owner_on(account_id=account.pk, on=issue_date),
        created_by=actor,
    )
    freeze_reporting_rate(invoice, on=issue_date)
    priced = _priced_lines(invoice=invoice, lines=lines, rates=_vat_rates())
    invoice.net_total = sum((line.net_amount for line in priced), ZERO)
    invoice.vat_total = sum((line.vat_amount for line in priced), ZERO)
    invoice.gross_total = invoice.net_total + invoice.vat_total
    invoice.cost_total = sum((line.cost_amount for line in priced), ZERO)
    if invoice.gross_total <= 0:
        raise ValidationError({"lines": _("An invoice must come to more than zero.")})
    invoice.full_clean(exclude=["net_total", "vat_total", "gross_total", "cost_total"])
    with transaction.atomic():
        _check_order_lines_not_overinvoiced(lines)
        invoice.save()
        InvoiceLine.objects.bulk_create(priced)
        ledger_days.invoice_counted(invoice)
    return invoice


def order_lines_to_invoice(*, order: Order) -> list[tuple[OrderLine, Decimal]]:
    """The order's lines with the quantity not invoiced yet (returned goods are credited by a
    credit note, not left off the invoice)."""
    lines = list(order.lines.select_related("product").order_by("pk"))
    invoiced = _quantities(
        InvoiceLine.objects.filter(order_line__order=order)
        .exclude(invoice__status=InvoiceStatus.CANCELLED)
        .values("order_line_id")
        .annotate(q=Sum("quantity"))
        .values_list("order_line_id", "q")
    )
    left = [(line, line.quantity - invoiced.get(line.pk, ZERO)) for line in lines]
    return [(line, quantity) for line, quantity in left if quantity > 0]


def invoice_from_order(
    *,
    actor: User,
    order: Order,
    issue_date: date | None = None,
    number: str = "",
    vat_code: str = "23",
) -> Invoice:
    """Invoice what a delivered order has not been invoiced for yet, at the order's prices."""
    check_can_manage_money(actor)
    if order.status != OrderStatus.DELIVERED:
        raise ValidationError(
            {
                "order": _("Only a delivered order is invoiced; this one is %(s)s.")
                % {"s": order.get_status_display().lower()}
            }
        )
    remaining = order_lines_to_invoice(order=order)
    if not remaining:
        raise ValidationError({"order": _("Everything on this order is invoiced already.")})
    return invoice_issue(
        actor=actor,
        account=order.account,
        issue_date=issue_date or timezone.localdate(),
        number=number,
        currency=order.currency,
        order=order,
        contract=order.contract,
        lines=[
            LineInput(
                description=str(line.product),
                product=line.product,
                order_line=line,
                quantity=quantity,
                unit_price=line.unit_price,
                vat_code=vat_code,
            )
            for line, quantity in remaining
        ],
    )


def _status_of(invoice: Invoice) -> str:
    if invoice.status == InvoiceStatus.CANCELLED:
        return InvoiceStatus.CANCELLED
    if invoice.open_amount == 0:
        return InvoiceStatus.PAID if invoice.paid_total > 0 else InvoiceStatus.CREDITED
    return InvoiceStatus.PARTIALLY_PAID if invoice.paid_total > 0 else InvoiceStatus.ISSUED


def _save_totals(invoice: Invoice) -> None:
    invoice.status = _status_of(invoice)
    invoice.save(update_fields=["paid_total", "credited_total", "status", "updated_at"])


def invoice_cancel(*, actor: User, invoice: Invoice, reason: str) -> Invoice:
    """Cancel an invoice issued by mistake: only while nothing is paid or credited on it."""
    check_can_manage_money(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is cancelled.")})
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status == InvoiceStatus.CANCELLED:
            raise ValidationError({"status": _("This invoice is cancelled already.")})
        if locked.paid_total or locked.credited_total:
            raise ValidationError(
                {"status": _("Payments or credit notes are recorded on it: issue a credit note.")}
            )
        locked.status = InvoiceStatus.CANCELLED
        locked.note = "\n".join(filter(None, [locked.note, _("Cancelled: %s") % reason.strip()]))
        locked.save(update_fields=["status", "note", "updated_at"])
        ledger_days.invoice_counted(locked, sign=-1)
        invoice_cancelled.send(
            sender=Invoice, invoice_id=locked.pk, cancelled_on=timezone.localdate()
        )
    return locked


# --- Credit notes -----------------------------------------------------------------------------


def credit_note_issue(
    *,
    actor: User,
    invoice: Invoice,
    issue_date: date,
    reason: str,
    net_amount: Decimal | None = None,
    vat_code: str | None = None,
    return_record: Return | None = None,
    number: str = "",
    note: str = "",
) -> CreditNote:
    """A credit note that takes `net_amount` (plus VAT) off `invoice`, or the value of a return.

    If the invoice is paid beyond what is left after the credit, the excess payment is taken
    back from its latest allocations and becomes the account's credit, to allocate elsewhere.
    """
    check_can_manage_money(actor)
    if reason not in CreditNoteReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    currency = invoice.currency
    cost = ZERO
    if return_record is not None:
        line = (
            invoice.lines.filter(order_line_id=return_record.order_line_id).order_by("pk").first()
        )
        if line is None:
            raise ValidationError(
                {"return_record": _("This return is not of a line of this invoice.")}
            )
        net = return_record.value
        percent = line.vat_percent
        cost = money_round(return_record.quantity * line.unit_cost, currency)
        reason = CreditNoteReason.RETURN
    else:
        if net_amount is None or net_amount <= 0:
            raise ValidationError({"net_amount": _("Enter an amount above zero.")})
        rates = _vat_rates()
        code = vat_code or invoice.lines.values_list("vat_code", flat=True).first()
        if code not in rates:
            raise ValidationError({"vat_code": _("Unknown VAT rate %(code)r.") % {"code": code}})
        net = money_round(net_amount, currency)
        percent = rates[code].percent
    vat = money_round(net * percent / HUNDRED, currency)
    if issue_date < invoice.issue_date:
        raise ValidationError(
            {"issue_date": _("A credit note cannot be dated before its invoice.")}
        )
    if issue_date > timezone.localdate():
        raise ValidationError({"issue_date": _("A credit note cannot be dated in the future.")})
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status == InvoiceStatus.CANCELLED:
            raise ValidationError({"invoice": _("This invoice is cancelled.")})
        gross = net + vat
        creditable = locked.gross_total - locked.credited_total
        if gross > creditable:
            raise ValidationError(
                {
                    "net_amount": _(
                        "A credit note of %(gross)s %(cur)s is bigger than what is left to "
                        "credit on the invoice (%(left)s %(cur)s)."
                    )
                    % {"gross": gross, "left": creditable, "cur": currency}
                }
            )
        credit = CreditNote(
            number=number.strip() or _next_in(CreditNote, f"KOR/{issue_date.year}/"),
            invoice=locked,
            account_id=locked.account_id,
            issue_date=issue_date,
            reason=reason,
            return_record=return_record,
            currency=currency,
            net_amount=net,
            vat_amount=vat,
            gross_amount=gross,
            cost_amount=cost,
            note=note,
            created_by=actor,
        )
        freeze_reporting_rate(credit, on=issue_date)
        credit.full_clean()
        credit.save()
        excess = gross - (locked.gross_total - locked.credited_total - locked.paid_total)
        if excess > 0:
            _take_back(
                invoice=locked, amount=excess, on=issue_date, actor=actor, credit_note=credit
            )
        locked.credited_total += gross
        _save_totals(locked)
    return credit


def _take_back(
    *,
    invoice: Invoice,
    amount: Decimal,
    on: date,
    actor: User,
    credit_note: CreditNote,
) -> None:
    """Undo `amount` of the allocations to `invoice`, newest payment first."""
    net_by_payment = _net_by(
        Allocation.objects.filter(invoice=invoice).values_list("payment_id", "amount"),
    )
    shares = []
    for payment_id, net in sorted(net_by_payment.items(), reverse=True):
        if amount <= 0:
            break
        share = min(amount, net)
        shares.append((payment_id, share))
        amount -= share
    payments = Payment.objects.select_for_update().filter(pk__in=[p for p, _ in shares])
    by_pk = {p.pk: p for p in payments.order_by("pk")}
    for payment_id, share in shares:
        Allocation.objects.create(
            payment_id=payment_id,
            invoice=invoice,
            amount=-share,
            effective_on=on,
            credit_note=credit_note,
            created_by=actor,
        )
        payment = by_pk[payment_id]
        payment.allocated_total -= share
        payment.save(update_fields=["allocated_total"])
        invoice.paid_total -= share


def _net_by(pairs) -> dict[int, Decimal]:
    """What is still allocated per key, from (key, amount) ledger rows, where above zero.

    Added up in Python: SQLite sums decimals as floats, and a reversal must undo exactly."""
    net: dict[int, Decimal] = {}
    for key, amount in pairs:
        net[key] = net.get(key, ZERO) + amount
    return {key: amount for key, amount in net.items() if amount > 0}


# --- Payments and allocations -----------------------------------------------------------------


def payment_record(
    *,
    actor: User,
    account: Account,
    received_on: date,
    amount: Decimal,
    currency: str,
    payer_reference: str = "",
    external_ref: str | None = None,
    source: str = PaymentSource.MANUAL,
    note: str = "",
) -> Payment:
    """Money received; allocate it with `payment_allocate` (or it stays the account's credit)."""
    check_can_manage_money(actor)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A payment cannot be received in the future.")})
    payment = Payment(
        account=account,
        received_on=received_on,
        amount=money_round(amount, currency),
        currency=currency,
        payer_reference=payer_reference.strip(),
        external_ref=(external_ref or "").strip() or None,
        source=source,
        note=note,
        created_by=actor,
    )
    payment.full_clean()
    with transaction.atomic():
        payment.save()
    return payment


def payment_allocate(
    *,
    actor: User,
    payment: Payment,
    allocations: Iterable[tuple[Invoice, Decimal]] | None = None,
) -> list[Allocation]:
    """Apply a payment to invoices of its account: the chosen (invoice, amount) pairs, or,
    without `allocations`, its open invoices in its currency oldest due first.

    Refused, naming the field, when an amount is over the invoice's open amount, the total over
    what is left of the payment, or an invoice of another account or currency. Concurrent
    allocations serialise on the row locks and each sees what the other left.
    """
    check_can_manage_money(actor)
    chosen = None
    if allocations is not None:
        chosen = {}
        for invoice, amount in allocations:
            if amount is None or amount <= 0:
                raise ValidationError({"amount": _("Enter an amount above zero.")})
            chosen[invoice.pk] = chosen.get(invoice.pk, ZERO) + amount
        if not chosen:
            raise ValidationError({"allocations": _("Choose at least one invoice.")})
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if PaymentReversal.objects.filter(payment=payment).exists():
            raise ValidationError({"payment": _("This payment was reversed.")})
        if chosen is None:
            invoices = list(
                Invoice.objects.select_for_update()
                .filter(
                    account_id=payment.account_id,
                    currency=payment.currency,
                    status__in=OPEN_INVOICE_STATUSES,
                )
                .order_by("pk")
            )
            invoices.sort(key=lambda inv: (inv.due_date, inv.issue_date, inv.pk))
            left = payment.unallocated
            plan = []
            for invoice in invoices:
                if left <= 0:
                    break
                share = min(left, invoice.open_amount)
                plan.append((invoice, share))
                left -= share
        else:
            locked = {
                inv.pk: inv
                for inv in Invoice.objects.select_for_update().filter(pk__in=chosen).order_by("pk")
            }
            plan = [(locked[pk], amount) for pk, amount in chosen.items()]
            for invoice, amount in plan:
                _check_allocatable(payment=payment, invoice=invoice, amount=amount)
            total = sum((amount for _i, amount in plan), ZERO)
            if total > payment.unallocated:
                raise ValidationError(
                    {
                        "amount": _(
                            "%(total)s %(cur)s is more than is left of the payment "
                            "(%(left)s %(cur)s)."
                        )
                        % {"total": total, "left": payment.unallocated, "cur": payment.currency}
                    }
                )
        if not plan:
            raise ValidationError(
                {
                    "allocations": _(
                        "Nothing to allocate: no open invoice in this currency, "
                        "or nothing left of the payment."
                    )
                }
            )
        made = []
        for invoice, amount in plan:
            made.append(
                Allocation(
                    payment=payment,
                    invoice=invoice,
                    amount=amount,
                    effective_on=payment.received_on,
                    days_late=max(0, (payment.received_on - invoice.due_date).days),
                    created_by=actor,
                )
            )
            invoice.paid_total += amount
            _save_totals(invoice)
            payment.allocated_total += amount
        Allocation.objects.bulk_create(made)
        ledger_days.allocations_counted(made)
        payment.save(update_fields=["allocated_total"])
    return made


def _check_allocatable(*, payment: Payment, invoice: Invoice, amount: Decimal) -> None:
    if invoice.account_id != payment.account_id:
        raise ValidationError(
            {"invoice": _("%(n)s is another account's invoice.") % {"n": invoice}}
        )
    if invoice.currency != payment.currency:
        raise ValidationError(
            {
                "invoice": _("%(n)s is in %(i)s; the payment is in %(p)s.")
                % {"n": invoice, "i": invoice.currency, "p": payment.currency}
            }
        )
    if invoice.status not in OPEN_INVOICE_STATUSES:
        raise ValidationError(
            {"invoice": _("%(n)s is %(s)s.") % {"n": invoice, "s": invoice.get_status_display()}}
        )
    if amount > invoice.open_amount:
        raise ValidationError(
            {
                "amount": _("%(a)s %(cur)s is more than %(n)s has open (%(open)s %(cur)s).")
                % {"a": amount, "n": invoice, "open": invoice.open_amount, "cur": invoice.currency}
            }
        )


def payment_reverse(
    *, actor: User, payment: Payment, reversed_on: date, reason: str
) -> PaymentReversal:
    """A bounced transfer: the payment stays, a reversal entry and negative allocations undo it
    from `reversed_on` on, and its invoices are open again."""
    check_can_manage_money(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    if reversed_on < payment.received_on:
        raise ValidationError({"reversed_on": _("A reversal cannot be dated before the payment.")})
    if reversed_on > timezone.localdate():
        raise ValidationError({"reversed_on": _("A reversal cannot be dated in the future.")})
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if PaymentReversal.objects.filter(payment=payment).exists():
            raise ValidationError({"payment": _("This payment is reversed already.")})
        reversal = PaymentReversal.objects.create(
            payment=payment, reversed_on=reversed_on, reason=reason.strip(), created_by=actor
        )
        net = _net_by(
            Allocation.objects.filter(payment=payment).values_list("invoice_id", "amount")
        )
        invoices = Invoice.objects.select_for_update().filter(pk__in=net).order_by("pk")
        undo = []
        for invoice in invoices:
            amount = net[invoice.pk]
            undo.append(
                Allocation(
                    payment=payment,
                    invoice=invoice,
                    amount=-amount,
                    effective_on=reversed_on,
                    reversal=reversal,
                    created_by=actor,
                )
            )
            invoice.paid_total -= amount
            _save_totals(invoice)
        ledger_days.payment_uncounted(payment.pk)
        Allocation.objects.bulk_create(undo)
        payment.allocated_total = ZERO
        payment.save(update_fields=["allocated_total"])
    return reversal
