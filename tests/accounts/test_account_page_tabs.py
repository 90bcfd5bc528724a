"""The account page's in-page navigation: one link per section the user is shown."""

from django.urls import reverse


def tabs(client, account) -> str:
    page = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    return page[page.index('class="page-tabs"') : page.index("</nav>", page.index("page-tabs"))]


def test_kam_gets_a_link_to_every_section(client, alice, alice_account):
    client.force_login(alice)
    nav = tabs(client, alice_account)
    for anchor in ("#dossier", "#deals-panel", "#contacts", "#influence-map", "#timeline"):
        assert f'href="{anchor}"' in nav


def test_finance_gets_no_link_to_the_timeline_it_does_not_see(client, fiona, alice_account):
    client.force_login(fiona)
    nav = tabs(client, alice_account)
    assert 'href="#deals-panel"' in nav
    assert 'href="#timeline"' not in nav
