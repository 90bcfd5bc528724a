import re

from django.urls import reverse

from accounts.models import AccountEvent, Contact, ContactRelation
from tests.deals.factories import (
    ComplaintFactory,
    ContractFactory,
    DealFactory,
    OrderLineFactory,
)
from tests.factories import (
    AccountFinancialsFactory,
    ActivityFactory,
    CompetitorFactory,
    ContactFactory,
    ContactRelationFactory,
    DossierNoteFactory,
    UserFactory,
)


def _url(account):
    return reverse("accounts:detail", args=[account.pk])


def test_account_page_shows_the_whole_dossier(client, alice, alice_account):
    alice_account.competitors.add(CompetitorFactory(name="Unilever"))
    AccountFinancialsFactory(account=alice_account, year=2025, employees=321)
    DossierNoteFactory(account=alice_account, text="New CFO from January.")
    ContactFactory(account=alice_account, first_name="Anna", last_name="Nowak", is_vip=True)
    client.force_login(alice)
    page = client.get(_url(alice_account)).content.decode()
    for expected in ("Unilever", "2025", "321", "New CFO from January.", "Anna Nowak", "VIP"):
        assert expected in page


def test_influence_map_draws_people_and_labelled_relations(client, alice, alice_account):
    boss = ContactFactory(
        account=alice_account,
        first_name="Ewa",
        last_name="Boss",
        influence=5,
        attitude=Contact.Attitude.OPPONENT,
    )
    buyer = ContactFactory(
        account=alice_account,
        first_name="Jan",
        last_name="Buyer",
        influence=2,
        attitude=Contact.Attitude.SUPPORTER,
    )
    ContactRelationFactory(
        from_contact=buyer, to_contact=boss, kind=ContactRelation.Kind.REPORTS_TO
    )
    ContactRelationFactory(from_contact=buyer, to_contact=boss, kind=ContactRelation.Kind.RIVAL)
    client.force_login(alice)
    page = client.get(_url(alice_account)).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    circles = re.findall(r'<circle [^>]*r="(\d+)" fill="(#\w+)"', svg)
    assert sorted(circles) == sorted([("39", "#d64545"), ("24", "#2e9d5b")])
    assert "reports to" in svg and "rival of" in svg
    assert svg.count('<g class="edge ') == 2
    # The boss sits above the person who reports to them.
    boss_y = float(
        re.search(rf'data-contact="{boss.pk}">\s*<circle cx="[\d.]+" cy="([\d.]+)"', svg)[1]
    )
    buyer_y = float(
        re.search(rf'data-contact="{buyer.pk}">\s*<circle cx="[\d.]+" cy="([\d.]+)"', svg)[1]
    )
    assert boss_y < buyer_y


def test_account_page_query_count_does_not_grow_with_dossier_size(
    client, alice, alice_account, django_assert_num_queries
):
    client.force_login(alice)

    years = iter(range(2000, 2100))

    def grow(count):
        for _ in range(count):
            AccountFinancialsFactory(account=alice_account, year=next(years))
            alice_account.competitors.add(CompetitorFactory())
            DossierNoteFactory(account=alice_account)
            ContactRelationFactory(from_contact__account=alice_account)
            contact = ContactFactory(account=alice_account)
            ActivityFactory(account=alice_account).contacts.add(contact)
            DealFactory(account=alice_account)
            ContractFactory(account=alice_account)
            OrderLineFactory(order__account=alice_account)
            ComplaintFactory(account=alice_account)
            AccountEvent.objects.create(
                account_id=alice_account.pk,
                account_name=alice_account.name,
                kind=AccountEvent.Kind.TIER_CHANGED,
                actor=UserFactory(),
            )

    grow(2)
    # session, user, account with owner, territory and billing contact (the access check, read
    # once: the dossier read it again before), competitors, financials, notes with authors,
    # contacts, relations with both people, the trail with its actors,
    # activities with their owners, the activities' contacts, the cadence per tier, the
    # last contact and next due date, the bell's unread count; then the deals panel: open
    # deals with owners, live contracts, recent orders with totals and late flags, the count
    # of late orders, open complaints with contacts; then health's panel (its scores); then
    # receivables' Money panel (14, see receivables.selectors.pages.account_money); then
    # commissions' ABC panel (3: the computed class, the manual tier, the class changes); then
    # reports' Documents card: the contacts with an e-mail the statement may be sent to
    with django_assert_num_queries(38):
        client.get(_url(alice_account))
    grow(3)
    with django_assert_num_queries(38):
        response = client.get(_url(alice_account))
    assert len(response.context["dossier"].contacts) == 15
    assert len(_timeline(response).timeline) == 10


def _timeline(response):
    """The activities panel's figures on the account page."""
    (panel,) = [p for p in response.context["panels"] if p.template.startswith("activities/")]
    return panel.context["activity"]


def test_influence_map_coordinates_are_svg_numbers_in_polish(client, alice, alice_account):
    """Polish writes 250,5 for 250.5; an SVG reads "250,5" as no coordinate at all, and the
    map collapsed to the left edge with its names cut."""
    alice.language = "pl"
    alice.save(update_fields=["language"])
    boss = ContactFactory(account=alice_account, influence=5)
    for influence in (1, 2, 3):  # three in the row below: their x falls between whole pixels
        ContactRelationFactory(
            from_contact=ContactFactory(account=alice_account, influence=influence),
            to_contact=boss,
            kind=ContactRelation.Kind.REPORTS_TO,
        )
    client.force_login(alice)
    page = client.get(_url(alice_account)).content.decode()
    assert '<html lang="pl"' in page
    svg = page[page.index('aria-label="Mapa wpływów"') : page.index("</svg>")]
    numbers = re.findall(r'\b(?:cx|cy|r|x|y|dy|width|height)="([^"]*)"', svg)
    assert len(numbers) > 20
    assert [n for n in numbers if not re.fullmatch(r"-?\d+(\.\d+)?", n)] == []
    assert any("." in n for n in numbers)
    assert "," not in re.search(r'<path d="([^"]*)"', svg)[1]


def test_a_lost_account_says_it_has_no_health_score_not_that_one_is_coming(
    client, alice, alice_account
):
    client.force_login(alice)
    assert "computed every night" in client.get(_url(alice_account)).content.decode()
    alice_account.status = alice_account.Status.LOST
    alice_account.save(update_fields=["status"])
    page = client.get(_url(alice_account)).content.decode()
    assert "a lost account has no health score" in page
    assert "computed every night" not in page
