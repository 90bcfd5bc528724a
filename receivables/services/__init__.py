"""Writes of the receivables app, one module per sub-domain."""

from .bank import bank_line_assign, bank_statement_import
from .collection import (
    collection_action_log,
    collection_hold_decide,
    dunning_run,
    statement_answer_record,
)
from .credit import (
    CREDIT_PROFILE_FIELDS,
    credit_check,
    credit_override_decide,
    credit_override_request,
    credit_profile_set,
    credit_proposal_create,
    credit_proposal_decide,
)
from .imports import import_apply, import_preview, import_read
from .ledger import (
    LineInput,
    credit_note_issue,
    invoice_cancel,
    invoice_from_order,
    invoice_issue,
    invoice_number_next,
    order_lines_to_invoice,
    payment_allocate,
    payment_record,
    payment_reverse,
    payment_terms_days,
)
from .ledger_days import ledger_days_batched, ledger_days_rebuild

__all__ = [
    "CREDIT_PROFILE_FIELDS",
    "LineInput",
    "bank_line_assign",
    "bank_statement_import",
    "collection_action_log",
    "collection_hold_decide",
    "credit_check",
    "credit_note_issue",
    "credit_override_decide",
    "credit_override_request",
    "credit_profile_set",
    "credit_proposal_create",
    "credit_proposal_decide",
    "dunning_run",
    "import_apply",
    "import_preview",
    "import_read",
    "invoice_cancel",
    "invoice_from_order",
    "invoice_issue",
    "invoice_number_next",
    "ledger_days_batched",
    "ledger_days_rebuild",
    "order_lines_to_invoice",
    "payment_allocate",
    "payment_record",
    "payment_reverse",
    "payment_terms_days",
    "statement_answer_record",
]
