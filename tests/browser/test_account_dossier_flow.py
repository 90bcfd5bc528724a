import pytest

from accounts.models import ContactRelation
from team.models import Role
from tests.browser.conftest import pick
from tests.factories import AccountFactory, ContactFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kam_adds_a_contact_and_a_relation_and_sees_them_on_the_influence_map(live_server, page):
    territory = TerritoryFactory(name="North", code="north")
    kam = UserFactory(username="kam1", role=Role.KAM, territory=territory)
    kam.set_password("demo")
    kam.save()
    account = AccountFactory(owner=kam, name="Alpha Foods")
    ContactFactory(account=account, first_name="Ewa", last_name="Kowalska", position="CEO")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "kam1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    page.goto(f"{live_server.url}/accounts/")

    page.click("text=Alpha Foods")
    page.click("text=Add contact")
    page.fill("#id_first_name", "Jan")
    page.fill("#id_last_name", "Zieliński")
    page.fill("#id_position", "Purchasing manager")
    page.select_option("#id_decision_role", "influencer")
    page.fill("#id_influence", "2")
    page.select_option("#id_attitude", "supporter")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"{live_server.url}/accounts/{account.pk}/")
    assert page.locator("#contacts").get_by_text("Jan Zieliński").is_visible()

    page.click("text=Add relation")
    pick(page, "id_from_contact", "Jan", "Jan Zieliński")
    page.select_option("#id_kind", "reports_to")
    pick(page, "id_to_contact", "Ewa", "Ewa Kowalska")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"{live_server.url}/accounts/{account.pk}/")

    influence_map = page.locator("#influence-map svg")
    assert influence_map.locator("g.node").count() == 2
    assert influence_map.locator("g.edge-reports_to text").text_content() == "reports to"
    assert influence_map.get_by_text("Jan Zieliński").is_visible()
    assert ContactRelation.objects.filter(
        from_contact__last_name="Zieliński", to_contact__last_name="Kowalska"
    ).exists()
