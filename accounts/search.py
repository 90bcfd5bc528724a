"""What the global search finds among accounts and contacts (see kam_crm/search.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kam_crm.search import (
    GROUP_SIZE,
    SearchGroup,
    SearchHit,
    SearchQuery,
    hits_and_more,
    text_match,
)
from team import access
from team.models import User

from .models import Account, Contact

ACCOUNT_FIELDS = ["name", "legal_name", "tax_id"]
CONTACT_FIELDS = ["first_name", "last_name", "email", "phone"]


def search_groups(*, user: User, query: SearchQuery) -> list[SearchGroup]:
    """Accounts by name, legal name or tax ID; contacts by name, e-mail or phone. Two queries."""
    return [_accounts(user, query), _contacts(user, query)]


def _accounts(user: User, query: SearchQuery) -> SearchGroup:
    rows = list(
        access.accounts_visible_to(user)
        .filter(text_match(ACCOUNT_FIELDS, query))
        .order_by("name", "pk")[: GROUP_SIZE + 1]
    )
    hits, more = hits_and_more(rows, _account_hit)
    more_url = f"{reverse('accounts:list')}?{urlencode({'q': query.text})}" if more else None
    return SearchGroup(kind=_("Accounts"), hits=hits, more_url=more_url)


def _account_hit(account: Account) -> SearchHit:
    detail = " · ".join(part for part in (account.tax_id, account.city) if part)
    return SearchHit(
        label=account.name, detail=detail, url=reverse("accounts:detail", args=[account.pk])
    )


def _contacts(user: User, query: SearchQuery) -> SearchGroup:
    rows = list(
        access.contacts_visible_to(user)
        .filter(text_match(CONTACT_FIELDS, query))
        .order_by("last_name", "first_name", "pk")[: GROUP_SIZE + 1]
    )
    hits, _more = hits_and_more(rows, _contact_hit)
    return SearchGroup(kind=_("Contacts"), hits=hits)


def _contact_hit(contact: Contact) -> SearchHit:
    detail = " · ".join(part for part in (contact.position, contact.account.name) if part)
    url = reverse("accounts:detail", args=[contact.account_id]) + f"#contact-{contact.pk}"
    return SearchHit(label=f"{contact.first_name} {contact.last_name}", detail=detail, url=url)
