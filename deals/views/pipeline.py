"""Pages of the pipeline: the board, the deal list and the deal page."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import form_submit
from core.listing import Totals
from core.pickers import picker_response
from core.views import RecordFormPage
from team import access

from .. import exports, selectors, services
from ..filters import (
    DealFilterSet,
)
from ..forms import (
    DealForm,
    DealMoveForm,
    account_from_query,
)
from ..models import (
    Deal,
    DealStage,
)
from .common import _listing, _require_creator

# Any id will do: the URL is reversed with it once and split around it; each card puts its
# own id between the halves.
CARD_URL_ID = 2_147_483_647


def _card_urls() -> dict[str, dict[str, str]]:
    """The prefix and suffix of a card's links and move, reversed once per board instead of a
    few times per card. Dicts, not tuples: the template finds a key at its first try."""
    urls = {}
    for name, url_name in (("detail", "deals:deal_detail"), ("move", "deals:deal_move")):
        prefix, suffix = reverse(url_name, args=[CARD_URL_ID]).split(str(CARD_URL_ID))
        urls[name] = {"prefix": prefix, "suffix": suffix}
    return urls


def _board_context(request, **extra):
    return {
        "card_urls": _card_urls(),
        "show_owner": not request.user.is_kam,
        **extra,
    }


def deal_board(request):
    board = selectors.deal_board(user=request.user)
    template = "deals/partials/board.html" if request.htmx else "deals/deal_board.html"
    context = _board_context(
        request, board=board, can_create=access.can_create_deal_records(request.user)
    )
    return render(request, template, context)


def _board_cursor(request) -> tuple[Decimal, int] | None:
    """The card "Show more" continues after (its amount and id); from the top if unreadable."""
    try:
        amount = Decimal(request.GET["after_amount"])
        pk = int(request.GET["after_id"])
    except (KeyError, ValueError, ArithmeticError):
        return None
    readable = amount.is_finite() and abs(amount) < 10**12 and 0 < pk < 2**63
    return (amount, pk) if readable else None


@require_GET
def deal_board_column(request, stage: str):
    """The next cards of one column of the board ("Show more"), for htmx."""
    if stage not in DealStage.values:
        raise Http404("No such stage.")
    column = selectors.deal_board_column(
        user=request.user, stage=stage, after=_board_cursor(request)
    )
    context = _board_context(request, column=column)
    return render(request, "deals/partials/board_cards.html", context)


def deal_list(request):
    return _listing(
        request,
        filterset_class=DealFilterSet,
        queryset=selectors.deals_for_listing(user=request.user),
        heading=_("Deals"),
        list_url="deals:deal_list",
        partial="deals/partials/deal_table.html",
        columns=exports.DEAL_COLUMNS,
        export_name="deals",
        totals=Totals(amount="amount"),
        default_order=_("open deals first, closing soonest"),
        create_url="deals:deal_create",
        links=[(_("Pipeline board"), "deals:board")],
    )


def deal_detail(request, pk: int, *, move_form=None, status=200):
    deal = Deal.objects.select_related("owner").get_for_user(request.user, pk)
    page = selectors.deal_page(user=request.user, deal=deal)
    move_form = move_form or DealMoveForm(
        initial={"from_stage": deal.stage, "stage": page.next_stage}
    )
    return render(
        request, "deals/deal_detail.html", {"page": page, "move_form": move_form}, status=status
    )


class DealFormPage(RecordFormPage):
    """A new deal (from an account's page with `?account=`, or the account picked), or a
    deal's details edited from the version the page showed."""

    form_class = DealForm
    template_name = "deals/form.html"
    model = Deal
    noun = _("Deal")

    def check_create(self):
        _require_creator(self.request)

    def form_kwargs(self):
        initial = {}
        if self.object is None:
            account = account_from_query(self.request.user, self.request.GET.get("account"))
            if account is not None:
                initial = {"account": account, "currency": account.currency}
        return {"user": self.request.user, "initial": initial}

    def create(self, form):
        return services.deal_create(
            actor=self.request.user,
            account=form.cleaned_data["account"],
            data=form.service_data(),
        )

    def update(self, deal, form, version):
        return services.deal_update(
            actor=self.request.user, deal=deal, data=form.service_data(), version=version
        )

    def success_url(self, deal):
        return reverse("deals:deal_detail", args=[deal.pk])

    def context(self, form):
        if self.object is None:
            return {"title": _("New deal"), "back": "deals:deal_list"}
        deal = self.object
        return {
            "title": _("Edit %(deal)s") % {"deal": deal.title},
            "back": "deals:deal_list",
            "crumbs": [
                (_("Deals"), "deals:deal_list", None),
                (deal.title, "deals:deal_detail", deal.pk),
            ],
        }


deal_create = deal_edit = DealFormPage.as_view()


@require_POST
def deal_move(request, pk: int):
    deal = Deal.objects.get_for_user(request.user, pk, write=True)
    form = DealMoveForm(request.POST)
    htmx = request.htmx
    moved = form_submit(
        form,
        lambda: services.deal_move_stage(
            actor=request.user,
            deal=deal,
            to_stage=form.cleaned_data["stage"],
            lost_reason=form.cleaned_data["lost_reason"],
            from_stage=form.cleaned_data["from_stage"] or None,
        ),
    )
    if htmx:
        board = selectors.deal_board(user=request.user)
        errors = [] if moved else [e for errs in form.errors.values() for e in errs]
        context = _board_context(request, board=board, board_errors=errors, moved=moved)
        return render(request, "deals/partials/board.html", context)
    if moved:
        messages.success(request, _("Moved to %(stage)s.") % {"stage": moved.get_stage_display()})
        return redirect("deals:deal_detail", pk=pk)
    return deal_detail(request, pk, move_form=form, status=400)


@require_POST
def deal_delete(request, pk: int):
    deal = Deal.objects.get_for_user(request.user, pk, write=True)
    services.deal_delete(actor=request.user, deal=deal)
    messages.success(request, _("Deal %(deal)s deleted.") % {"deal": deal})
    return redirect("deals:deal_list")


@require_GET
def pick_deals(request):
    return picker_response(
        request,
        Deal.objects.select_related("account", "owner")
        .visible_to(request.user)
        .order_by("-updated_at", "-pk"),
        fields=["title"],
        label=lambda d: d.title,
        detail=lambda d: f"{d.account.name} · {d.get_stage_display()}",
        narrow={"account": "account_id"},
    )
