"""The columns of the deals app's list exports (core/exports.py)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column

DEAL_COLUMNS = [
    Column(_("ID"), "pk"),
    Column(_("Deal"), "title"),
    Column(_("Account"), "account.name"),
    Column(_("Stage"), lambda d: d.get_stage_display()),
    Column(_("Owner"), lambda d: str(d.owner)),
    Column(_("Amount"), "amount"),
    Column(_("Currency"), "currency"),
    Column(_("Probability (%)"), "probability"),
    Column(_("Weighted"), "weighted"),
    Column(_("Expected close"), "expected_close_date"),
    Column(_("Closed on"), "closed_on"),
    Column(_("Next step"), "next_step"),
]

CONTRACT_COLUMNS = [
    Column(_("Number"), "number"),
    Column(_("Account"), "account.name"),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Signed on"), "signed_on"),
    Column(_("Start"), "start_date"),
    Column(_("End"), "end_date"),
    Column(_("Value"), "value"),
    Column(_("Currency"), "currency"),
    Column(_("Payment terms (days)"), "payment_terms_days"),
    Column(_("Renewal"), lambda c: c.get_renewal_display()),
]

ORDER_COLUMNS = [
    Column(_("Order"), "pk"),
    Column(_("Account"), "account.name"),
    Column(_("Client's reference"), "reference"),
    Column(_("Contract"), "contract.number"),
    Column(_("Status"), lambda o: o.get_status_display()),
    Column(_("Requested"), "requested_date"),
    Column(_("Promised"), "promised_date"),
    Column(_("Delivered"), "delivered_date"),
    Column(_("Late"), "is_late"),
    Column(_("Lines"), "line_count"),
    Column(_("Total"), "total"),
    Column(_("Currency"), "currency"),
]

RETURN_COLUMNS = [
    Column(_("Returned on"), "returned_on"),
    Column(_("Account"), "order_line.order.account.name"),
    Column(_("Order"), "order_line.order_id"),
    Column(_("SKU"), "order_line.product.sku"),
    Column(_("Product"), "order_line.product.name"),
    Column(_("Quantity"), "quantity"),
    Column(_("Reason"), lambda r: r.get_reason_display()),
    Column(_("Value lost"), "value"),
    Column(_("Currency"), "order_line.order.currency"),
    Column(_("Note"), "note"),
]

COMPLAINT_COLUMNS = [
    Column(_("Opened on"), "opened_on"),
    Column(_("Subject"), "subject"),
    Column(_("Account"), "account.name"),
    Column(_("Contact"), lambda c: str(c.contact) if c.contact else ""),
    Column(_("Severity"), lambda c: c.get_severity_display()),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Resolved on"), "resolved_on"),
    Column(_("Resolution"), "resolution"),
]

PRODUCT_COLUMNS = [
    Column(_("SKU"), "sku"),
    Column(_("Product"), "name"),
    Column(_("Category"), "category.name"),
    Column(_("Unit"), "unit"),
    Column(_("List price"), "list_price"),
    Column(_("Currency"), "currency"),
    Column(_("Active"), "is_active"),
]
