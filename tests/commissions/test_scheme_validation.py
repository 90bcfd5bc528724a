"""A scheme's tables are refused with a message when they leave a gap, overlap or run out of
order, and nothing of a refused version is written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissions.models import CommissionScheme, SchemeVersion
from commissions.services import schemes
from tests.commissions import ledger_helpers

D = Decimal
default_schemes = ledger_helpers.default_schemes
pytestmark = pytest.mark.django_db
OK_BANDS = [(D(0), D(70), D(0)), (D(70), None, D(1))]


@pytest.mark.parametrize(
    ("brackets", "message"),
    [
        ([(D(0), D(100), D(15)), (D(120), None, D(10))], "Gap between 100 and 120"),
        ([(D(0), D(100), D(15)), (D(90), None, D(10))], "Overlap between 90 and 100"),
        ([(D(10), None, D(15))], "must start at 0"),
        ([(D(0), D(100), D(15))], "must be open-ended"),
        ([(D(0), None, D(150))], "between 0 and 100"),
        ([], "at least one"),
    ],
)
def test_a_bracket_table_with_a_gap_or_overlap_is_refused(brackets, message):
    scheme = CommissionScheme.objects.get(code="standard")
    with pytest.raises(ValidationError, match=message):
        schemes.scheme_version_create(
            scheme=scheme, valid_from=date(2027, 1, 1), basis="amount", brackets=brackets,
            multipliers=OK_BANDS,
        )  # fmt: skip
    assert not SchemeVersion.objects.filter(valid_from=date(2027, 1, 1)).exists()


def test_a_multiplier_table_out_of_order_is_refused():
    scheme = CommissionScheme.objects.get(code="standard")
    with pytest.raises(ValidationError, match="out of order"):
        schemes.scheme_version_create(
            scheme=scheme,
            valid_from=date(2027, 1, 1),
            basis="amount",
            brackets=[(D(0), None, D(10))],
            multipliers=[(D(0), D(100), D("1.2")), (D(100), None, D("0.5"))],
        )


def test_the_admin_refuses_a_bracket_table_with_a_gap(client, adam):
    version = SchemeVersion.objects.get(scheme__code="standard")
    client.force_login(adam)
    url = reverse("admin:commissions_schemeversion_change", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "scheme": version.scheme_id, "valid_from": "2000-01-01", "basis": "amount",
        "mode": "marginal", "earned_on": "payment", "note": "",
        "brackets-TOTAL_FORMS": "2", "brackets-INITIAL_FORMS": "0",
        "brackets-0-lower": "0", "brackets-0-upper": "100", "brackets-0-rate": "15",
        "brackets-1-lower": "200", "brackets-1-upper": "", "brackets-1-rate": "10",
        "multipliers-TOTAL_FORMS": "0", "multipliers-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Gap between 100" in response.content.decode()
