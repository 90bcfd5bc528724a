"""What the global search finds among accounts and contacts (see core/search.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchGroup, SearchHit, SearchQuery, name_group, text_group
from team.models import User

from .models import Account, Contact


def search_groups(*, user: User, query: SearchQuery) -> list[SearchGroup]:
    """Accounts by name, legal name or tax ID; contacts by name, e-mail or phone. Two queries."""
    return [
        text_group(
            kind=_("Accounts"),
            queryset=Account.objects.select_related("owner", "territory")
            .visible_to(user)
            .order_by("name", "pk"),
            fields=["name", "legal_name", "tax_id"],
            query=query,
            hit=_account_hit,
            more_url=reverse("accounts:list"),
        ),
        name_group(
            kind=_("Contacts"),
            queryset=Contact.objects.select_related("account").visible_to(user),
            fields=["first_name", "last_name", "email", "phone"],
            name=["last_name", "first_name"],
            query=query,
            hit=_contact_hit,
        ),
    ]


def _account_hit(account: Account) -> SearchHit:
    detail = " · ".join(part for part in (account.tax_id, account.city) if part)
    return SearchHit(
        label=account.name, detail=detail, url=reverse("accounts:detail", args=[account.pk])
    )


def _contact_hit(contact: Contact) -> SearchHit:
    detail = " · ".join(part for part in (contact.position, contact.account.name) if part)
    url = reverse("accounts:detail", args=[contact.account_id]) + f"#contact-{contact.pk}"
    return SearchHit(label=f"{contact.first_name} {contact.last_name}", detail=detail, url=url)
