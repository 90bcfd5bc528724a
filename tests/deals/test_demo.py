"""`seed_demo` for deals: every stage, won revenue on the Pareto curve, something to try."""

from decimal import Decimal as D

import pytest
from django.db.models import Count, F, Sum
from django.utils import timezone

from deals.models import (
    Complaint,
    Contract,
    Deal,
    DiscountLimit,
    Offer,
    OfferLine,
    Order,
    Product,
    ProductCategory,
    Return,
)
from deals.selectors import late_condition
from team.models import User

pytestmark = pytest.mark.django_db


class TestDemoDeals:
    def test_price_list_has_about_60_products_in_6_categories_with_a_full_matrix(self, demo_seed):
        assert ProductCategory.objects.count() == 6
        assert Product.objects.count() == 60
        assert DiscountLimit.objects.count() == 18
        assert not Product.objects.filter(unit_cost__gt=F("list_price")).exists()

    def test_deals_are_in_every_stage_and_owned_by_the_accounts_kam(self, demo_seed):
        assert set(Deal.objects.values_list("stage", flat=True)) == set(Deal.Stage.values)
        assert not Deal.objects.exclude(owner=F("account__owner")).exists()
        assert not Deal.objects.filter(stage="lost", lost_reason="").exists()

    def test_won_revenue_of_two_years_follows_the_pareto_curve(self, demo_seed):
        since = timezone.localdate().replace(year=timezone.localdate().year - 2)
        revenue = sorted(
            (
                row["won"]
                for row in Deal.objects.filter(stage="won", closed_on__gte=since)
                .values("account")
                .annotate(won=Sum("amount"))
            ),
            reverse=True,
        )
        top = revenue[: len(revenue) // 5]
        assert D("0.75") <= sum(top) / sum(revenue) <= D("0.85")

    def test_every_director_has_offers_waiting_and_they_break_the_rule(self, demo_seed):
        waiting = Offer.objects.filter(status="pending_approval")
        for director in User.objects.filter(role="director"):
            assert waiting.filter(deal__owner__reports_to=director).count() >= 2
        assert not waiting.filter(approval_reason="").exists()

    def test_offer_lines_are_priced_as_the_service_prices_them(self, demo_seed):
        line = OfferLine.objects.order_by("pk").first()
        assert line.line_total == (
            line.quantity * line.list_price * (1 - line.discount / 100)
        ).quantize(D("0.01"))

    def test_contracts_orders_returns_and_complaints_give_something_to_look_at(self, demo_seed):
        today = timezone.localdate()
        soon = Contract.objects.filter(
            end_date__gte=today, end_date__lte=today + timezone.timedelta(days=90)
        )
        assert soon.count() >= 10
        late = Order.objects.filter(late_condition(today)).count()
        assert 0.05 < late / Order.objects.count() < 0.35
        assert Return.objects.values("reason").distinct().count() == len(Return.Reason.values)
        assert Complaint.objects.exclude(status="resolved").exists()
        assert Order.objects.annotate(n=Count("lines")).filter(n=0).count() == 0
