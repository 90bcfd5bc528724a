"""The catalogue page and the product picker."""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.pickers import picker_response

from .. import exports, selectors
from ..access import products_visible_to
from ..filters import (
    ProductFilterSet,
)
from .common import _listing


def catalogue(request):
    return _listing(
        request,
        filterset_class=ProductFilterSet,
        queryset=products_visible_to(request.user),
        heading=_("Catalogue"),
        list_url="deals:catalogue",
        template="deals/catalogue.html",
        partial="deals/partials/product_table.html",
        columns=exports.PRODUCT_COLUMNS,
        export_name="catalogue",
        matrix=selectors.discount_matrix(),
    )


@require_GET
def pick_products(request):
    """Active products by SKU or name, with their list price; `?currency=` for an offer's."""
    products = products_visible_to(request.user).filter(is_active=True)
    currency = request.GET.get("currency", "")
    if currency:
        products = products.filter(currency=currency[:3])
    return picker_response(
        request,
        products.order_by("sku"),
        fields=["sku", "name"],
        label=lambda p: f"{p.sku} {p.name}",
        detail=lambda p: f"{p.list_price:,.2f} {p.currency} / {p.unit}",
    )
