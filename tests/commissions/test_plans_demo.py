"""`seed_demo` for plans and ABC: every KAM planned for 24 months and this year, some above and
some below, the ABC run done with class changes in the history."""

from datetime import date

from django.db.models import Count, F
from django.utils import timezone

from accounts.models import Account
from commissions.models import AccountClass, Concentration, SalesPlan, TierChange, TierOverride
from commissions.selectors.fulfilment import fulfilment_by_kam, period_parse
from team.models import Role, User


def test_every_kam_has_a_plan_for_the_last_24_months_and_this_year(demo_seed, db):
    today = timezone.localdate()
    kams = User.objects.filter(role=Role.KAM)
    months = dict(
        SalesPlan.objects.values("kam_id").annotate(n=Count("pk")).values_list("kam_id", "n")
    )
    assert set(months) == set(kams.values_list("pk", flat=True))
    assert all(n >= 24 for n in months.values())
    assert SalesPlan.objects.filter(month=date(today.year, 12, 1)).count() == kams.count()


def test_some_kams_beat_last_years_plan_and_some_miss_it(demo_seed, db):
    year = period_parse(text=str(timezone.localdate().year - 1))
    kams = list(User.objects.filter(role=Role.KAM).values_list("pk", flat=True))
    ratios = [
        row.invoiced_ratio
        for row in fulfilment_by_kam(kam_ids=kams, start=year.start, end=year.end)
    ]
    assert any(r >= 100 for r in ratios)
    assert any(r < 100 for r in ratios)


def test_the_abc_run_is_done_with_class_changes_and_a_manual_tier(demo_seed, db):
    assert AccountClass.objects.count() == Account.objects.count()
    assert TierChange.objects.filter(source="computed").exists()
    assert TierChange.objects.values("changed_on").distinct().count() > 1
    assert TierOverride.objects.filter(lifted_at__isnull=True).count() == 1
    assert Concentration.objects.filter(territory=None).count() >= 12
    # The tiers agree with the computed classes except where a director set one by hand.
    differs = AccountClass.objects.exclude(account__tier=F("computed")).count()
    assert differs == 1
