"""The report kinds, declared as data.

A kind says what a report needs (a form for its parameters), who may ask for it, what access
its contents require, and how to render it. The job machinery (`services.py`, `tasks.py`, the
My reports page and the API) is the same for every kind.

How to add a kind
-----------------
1. Write `reports/kinds/<slug>.py` (every module there is imported at start-up) and call
   `register(ReportKind(...))` at its bottom::

       class StatementForm(forms.Form):
           account = forms.IntegerField(widget=forms.HiddenInput)
           as_of = forms.DateField()

       def authorize(user, parameters):
           # 404 when the user may not see the account, 403 when they may see but not ask.
           return Account.objects.get_for_user(user, parameters["account"])

       def render(job, progress):
           statement = receivables.selectors.statement(account_id=..., as_of=...)
           progress(50)
           return pdf.render_pdf("reports/pdf/statement.html", {...}, filename="...pdf")

       register(ReportKind(
           slug="statement_of_account",
           title=_("Statement of account"),
           form=StatementForm,
           authorize=authorize,
           describe=lambda obj, parameters: obj.name,
           render=render,
           button=lambda user, account: {"account": account.pk},
       ))

2. Put its template in `templates/reports/pdf/<slug>.html`, extending
   `reports/pdf/base.html` (letterhead, page numbers, fonts, tables that split across pages).
3. Give its page a button: `{% load reports %}{% report_request_button "<slug>" account %}`
   renders a small form, only for users the kind's `button` lets ask.
4. Test it by its text and page count (`tests/reports/test_pdf.py` shows how).

`parameters` are what the form cleaned, turned into JSON (`date` to ISO text; ids stay ints).
`authorize` runs when the job is requested, again in the worker before rendering (the user's
scope may have changed) and again at download: a KAM never downloads a report on an account
that is not theirs, even with its URL. `render` runs in the Celery worker, reads through the
requester's access scope, may call `progress(percent)` and returns a `Rendered`.

Reports sits above every other app, so a kind may read any selector below it. A lower app that
must *produce* a document (receivables' nightly dunning run) does not import reports: it sends a
signal of its own, and a receiver in `reports/` requests the job (`services.report_job_request`).
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.http import Http404

from team.models import User

from .models import ReportJob


@dataclass(frozen=True)
class Rendered:
    """What a kind's `render` returns: the file's bytes and how to offer it for download."""

    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str
    form: type[forms.Form]
    # (user, parameters) -> the object the report is about; raises Http404 / PermissionDenied.
    authorize: Callable[[User, dict[str, Any]], Any]
    # (that object, parameters) -> what this particular report is about, e.g. the account name.
    describe: Callable[[Any, dict[str, Any]], str]
    render: Callable[[ReportJob, Callable[[int], None]], Rendered]
    # (user, the object of the page showing the button) -> the button's parameters, or None
    # when this user may not ask. The page has checked that the user sees the object; this
    # must cost no queries (access predicates do not).
    button: Callable[[User, Any], dict[str, Any] | None]
    # (user, parameters) -> the client's address the finished document goes to, or "" for
    # none; raises ValidationError when the chosen contact cannot receive it. Kinds whose form
    # has a `send_to` field (a contact of the account) set this.
    deliver_to: Callable[[User, dict[str, Any]], str] | None = None
    # (user, the page's object) -> choices of the form's select fields on the button (the
    # contacts for `send_to`); may query, as the page shows them.
    field_choices: Callable[[User, Any], dict[str, list[tuple[str, str]]]] | None = None
    # May be received every week or month (My reports, "Subscriptions"): the parameters are
    # then the button's, and an empty `as_of` means the day it is prepared.
    schedulable: bool = False
    # The label of the request button ("Statement of account (PDF)" or with a format choice).
    button_label: str = ""

    def parameters(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        """The form's cleaned data as JSON-ready values."""
        return {
            key: value.isoformat() if isinstance(value, date | datetime) else value
            for key, value in cleaned_data.items()
        }


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.slug in _KINDS and _KINDS[kind.slug] is not kind:
        raise ValueError(f"Report kind {kind.slug!r} is registered twice.")
    _KINDS[kind.slug] = kind
    return kind


def kind_get(slug: str) -> ReportKind:
    """The kind called `slug`; 404 for a name nobody registered (e.g. typed into a URL)."""
    try:
        return _KINDS[slug]
    except KeyError:
        raise Http404("No such report.") from None


def kind_find(slug: str) -> ReportKind | None:
    return _KINDS.get(slug)


def kinds_schedulable() -> list[ReportKind]:
    return [kind for kind in _KINDS.values() if kind.schedulable]


def kind_title(slug: str) -> str:
    kind = _KINDS.get(slug)
    return kind.title if kind else slug


def autodiscover() -> None:
    """Import every module of `reports.kinds`: each registers its kind."""
    from . import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        importlib.import_module(f"{kinds.__name__}.{module.name}")
