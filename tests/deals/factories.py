"""factory_boy factories for the deals app."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.money import money_round
from deals.models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStageChange,
    DiscountLimit,
    Offer,
    OfferLine,
    Order,
    OrderLine,
    Product,
    ProductCategory,
    Return,
)
from deals.pricing import line_price
from tests.factories import AccountFactory


class ProductCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")
    max_discount = Decimal("10.00")
    margin_floor = Decimal("10.00")


class DiscountLimitFactory(DjangoModelFactory):
    class Meta:
        model = DiscountLimit

    category = factory.SubFactory(ProductCategoryFactory)
    tier = "A"
    max_discount = Decimal("15.00")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = factory.SubFactory(ProductCategoryFactory)
    unit = "pcs"
    list_price = Decimal("100.00")
    unit_cost = Decimal("60.00")
    currency = "PLN"


class DealFactory(DjangoModelFactory):
    class Meta:
        model = Deal

    account = factory.SubFactory(AccountFactory)
    owner = factory.LazyAttribute(lambda d: d.account.owner)
    title = factory.Sequence(lambda n: f"Deal {n}")
    stage = Deal.Stage.RESEARCH
    amount = Decimal("50000.00")
    probability = 10
    expected_close_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    lost_reason = factory.LazyAttribute(lambda d: "Price" if d.stage == Deal.Stage.LOST else "")
    closed_on = factory.LazyAttribute(
        lambda d: timezone.localdate() if d.stage in ("won", "lost") else None
    )


class DealStageChangeFactory(DjangoModelFactory):
    class Meta:
        model = DealStageChange

    deal = factory.SubFactory(DealFactory)
    from_stage = ""
    to_stage = factory.LazyAttribute(lambda c: c.deal.stage)
    changed_by = factory.LazyAttribute(lambda c: c.deal.owner)
    changed_at = factory.LazyFunction(timezone.now)


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    deal = factory.SubFactory(DealFactory)
    version = factory.Sequence(lambda n: n + 1)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    created_by = factory.LazyAttribute(lambda o: o.deal.owner)


class OfferLineFactory(DjangoModelFactory):
    """A line priced as the service prices it."""

    class Meta:
        model = OfferLine
        exclude = ["price"]

    offer = factory.SubFactory(OfferFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("10")
    discount = Decimal("5")
    list_price = factory.LazyAttribute(lambda line: line.product.list_price)
    unit_cost = factory.LazyAttribute(lambda line: line.product.unit_cost)
    price = factory.LazyAttribute(
        lambda line: line_price(
            quantity=line.quantity,
            list_price=line.list_price,
            unit_cost=line.unit_cost,
            discount=line.discount,
            currency="PLN",
        )
    )
    net_price = factory.LazyAttribute(lambda line: line.price.net_price)
    line_total = factory.LazyAttribute(lambda line: line.price.line_total)
    line_cost = factory.LazyAttribute(lambda line: line.price.line_cost)


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    account = factory.SubFactory(AccountFactory)
    number = factory.Sequence(lambda n: f"UM/2026/{n:04d}")
    signed_on = factory.LazyFunction(timezone.localdate)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=300))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=65))
    value = Decimal("240000.00")
    status = Contract.Status.ACTIVE


class ObligationFactory(DjangoModelFactory):
    class Meta:
        model = ContractObligation

    contract = factory.SubFactory(ContractFactory)
    party = ContractObligation.Party.US
    kind = ContractObligation.Kind.DELIVER
    description = "Quarterly delivery"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    account = factory.SubFactory(AccountFactory)
    status = Order.Status.RECEIVED
    requested_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    promised_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    delivered_date = factory.LazyAttribute(
        lambda o: o.promised_date if o.status == Order.Status.DELIVERED else None
    )
    created_by = factory.LazyAttribute(lambda o: o.account.owner)


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("20")
    unit_price = Decimal("95.00")
    line_total = factory.LazyAttribute(lambda line: money_round(line.quantity * line.unit_price))


class ReturnFactory(DjangoModelFactory):
    class Meta:
        model = Return

    order_line = factory.SubFactory(OrderLineFactory, order__status=Order.Status.DELIVERED)
    quantity = Decimal("2")
    reason = Return.Reason.QUALITY
    returned_on = factory.LazyFunction(timezone.localdate)
    value = factory.LazyAttribute(lambda r: money_round(r.quantity * r.order_line.unit_price))
    recorded_by = factory.LazyAttribute(lambda r: r.order_line.order.account.owner)


class ComplaintFactory(DjangoModelFactory):
    class Meta:
        model = Complaint

    account = factory.SubFactory(AccountFactory)
    subject = factory.Sequence(lambda n: f"Complaint {n}")
    severity = Complaint.Severity.HIGH
    opened_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.LazyAttribute(lambda c: c.account.owner)
