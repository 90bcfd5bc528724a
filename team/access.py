"""Who may see and change what: the one place that says it.

Every page, API endpoint, export and background task fetches accounts and everything under
them through these functions. A record outside the user's scope is a 404 (we do not confirm it
exists); a record the user may see but not change is a 403.

Scope by role:
- KAM: the accounts they own, read and write.
- Sales director: the accounts of their territory, read and write; may reassign them.
- Finance: every account, read-only, without private dossier notes or personal notes.
- Admin: everything.

Deals, offers, contracts, orders, returns and complaints live under accounts and follow the
same scope: finance reads them all (money is finance's business) and changes none. Offers that
break the discount rule are approved by the director of the offer owner's territory (or an
admin). Products and the price list are visible to everyone signed in; only admins change them.
Activities (visits, calls, tasks) follow their account, like dossier notes: private to sales, so
finance sees none. A KAM also sees the activities they own on other accounts (a task their
director assigned) and may change only their own; a director changes their territory's.
Notifications are their recipient's alone.

The predicates (`account_can_edit`, ...) cost no queries once the user and the account are
loaded, so list pages can call them per row.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Account, Contact, ContactRelation, DossierNote
from activities.models import Activity, Notification
from deals.models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    Offer,
    OfferLine,
    Order,
    OrderLine,
    Product,
    Return,
)

from .models import Role, User

_NOTHING = Q(pk__in=[])


def _account_scope(user: User, path: str = "", *, write: bool = False) -> Q:
    """The rows under accounts that `user` may see (or change, with `write`).

    `path` leads from the row to its account, e.g. "from_contact__account".
    """
    field = f"{path}__" if path else ""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_admin_role:
        return Q()
    if user.is_finance:
        return _NOTHING if write else Q()
    if user.is_director:
        return Q(**{f"{field}territory_id": user.territory_id})
    if user.is_kam:
        return Q(**{f"{field}owner_id": user.pk})
    return _NOTHING


def can_see_private_notes(user: User) -> bool:
    """Dossier notes and contacts' personal notes are trade secrets finance does not need."""
    return user.is_authenticated and not user.is_finance


def can_create_account(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.KAM, Role.DIRECTOR, Role.ADMIN}


def account_can_edit(user: User, account: Account) -> bool:
    if user.is_admin_role:
        return True
    if user.is_director:
        return account.territory_id == user.territory_id
    if user.is_kam:
        return account.owner_id == user.pk
    return False


def account_can_reassign(user: User, account: Account) -> bool:
    """Moving an account to another KAM is the director's call (or an admin's)."""
    return user.is_admin_role or (user.is_director and account_can_edit(user, account))


def account_can_delete(user: User, account: Account) -> bool:
    """A KAM marks a client lost; deleting the record is for the director or an admin."""
    return account_can_reassign(user, account)


def accounts_visible_to(user: User) -> QuerySet[Account]:
    return Account.objects.filter(_account_scope(user)).select_related("owner", "territory")


def accounts_editable_by(user: User) -> QuerySet[Account]:
    return Account.objects.filter(_account_scope(user, write=True))


def account_get_for_user(user: User, pk: int, *, write: bool = False) -> Account:
    account = _get_or_404(accounts_visible_to(user), pk)
    if write and not account_can_edit(user, account):
        raise PermissionDenied("You may view this account but not change it.")
    return account


def owners_assignable_by(user: User) -> QuerySet[User]:
    """The KAMs `user` may make the owner of an account."""
    kams = User.objects.filter(role=Role.KAM, is_active=True).select_related("territory")
    if user.is_admin_role:
        return kams
    if user.is_director:
        return kams.filter(territory_id=user.territory_id)
    if user.is_kam:
        return kams.filter(pk=user.pk)
    return kams.none()


def owners_visible_to(user: User) -> QuerySet[User]:
    """The KAMs whose accounts `user` may see (to filter lists by owner)."""
    if user.is_finance:
        return User.objects.filter(role=Role.KAM).select_related("territory")
    return owners_assignable_by(user)


def notes_visible_to(user: User) -> QuerySet[DossierNote]:
    scope = _account_scope(user, "account") if can_see_private_notes(user) else _NOTHING
    return DossierNote.objects.filter(scope).select_related("author", "account")


def note_get_for_user(user: User, pk: int, *, write: bool = False) -> DossierNote:
    return _get_child_or_404(notes_visible_to(user), pk, user=user, write=write)


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(_account_scope(user, "account")).select_related("account")


def contacts_editable_by(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(_account_scope(user, "account", write=True))


def contact_get_for_user(user: User, pk: int, *, write: bool = False) -> Contact:
    return _get_child_or_404(contacts_visible_to(user), pk, user=user, write=write)


def contact_relations_visible_to(user: User) -> QuerySet[ContactRelation]:
    return ContactRelation.objects.filter(
        _account_scope(user, "from_contact__account")
    ).select_related("from_contact__account", "to_contact")


def contact_relation_get_for_user(user: User, pk: int, *, write: bool = False) -> ContactRelation:
    relation = _get_or_404(contact_relations_visible_to(user), pk)
    if write and not account_can_edit(user, relation.from_contact.account):
        raise PermissionDenied("You may view this relation but not change it.")
    return relation


def can_create_deal_records(user: User) -> bool:
    """Deals, offers, contracts, orders and complaints are made by the sales side."""
    return can_create_account(user)


def deals_visible_to(user: User) -> QuerySet[Deal]:
    return Deal.objects.filter(_account_scope(user, "account")).select_related("account", "owner")


def deal_get_for_user(user: User, pk: int, *, write: bool = False) -> Deal:
    return _get_child_or_404(deals_visible_to(user), pk, user=user, write=write)


def deal_can_edit(user: User, deal: Deal) -> bool:
    return account_can_edit(user, deal.account)


def deal_can_delete(user: User, deal: Deal) -> bool:
    """A KAM marks a deal lost; deleting it is for the director or an admin."""
    return account_can_reassign(user, deal.account)


def offers_visible_to(user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(_account_scope(user, "deal__account")).select_related(
        "deal__account", "deal__owner"
    )


def offer_get_for_user(user: User, pk: int, *, write: bool = False) -> Offer:
    return _get_child_or_404(
        offers_visible_to(user), pk, user=user, write=write, account_of=lambda o: o.deal.account
    )


def offer_lines_visible_to(user: User) -> QuerySet[OfferLine]:
    return OfferLine.objects.filter(_account_scope(user, "offer__deal__account")).select_related(
        "offer__deal__account", "product"
    )


def offer_line_get_for_user(user: User, pk: int, *, write: bool = False) -> OfferLine:
    return _get_child_or_404(
        offer_lines_visible_to(user),
        pk,
        user=user,
        write=write,
        account_of=lambda line: line.offer.deal.account,
    )


def offer_can_approve(user: User, offer: Offer) -> bool:
    """The director of the offer owner's territory (the one they report to), or an admin;
    never the owner of the deal, so nobody approves their own discount."""
    if offer.deal.owner_id == user.pk:
        return False
    if user.is_admin_role:
        return True
    owner = offer.deal.owner
    return user.is_director and (
        owner.reports_to_id == user.pk or owner.territory_id == user.territory_id
    )


def offer_approvers(offer: Offer) -> QuerySet[User]:
    """The directors told that `offer` waits for them: the one its owner reports to, else the
    directors of the owner's territory (admins may approve too, but are not told of each)."""
    owner = offer.deal.owner
    directors = User.objects.filter(role=Role.DIRECTOR, is_active=True).exclude(pk=owner.pk)
    if owner.reports_to_id:
        return directors.filter(pk=owner.reports_to_id)
    return directors.filter(territory_id=owner.territory_id)


def offers_awaiting_approval_by(user: User) -> QuerySet[Offer]:
    # Nobody approves an offer on their own deal (see offer_can_approve).
    pending = (
        offers_visible_to(user)
        .filter(status=Offer.Status.PENDING_APPROVAL)
        .exclude(deal__owner_id=user.pk)
    )
    if user.is_admin_role:
        return pending
    if user.is_director:
        return pending.filter(
            Q(deal__owner__reports_to=user) | Q(deal__owner__territory_id=user.territory_id)
        )
    return pending.none()


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(_account_scope(user, "account")).select_related(
        "account", "deal"
    )


def contract_get_for_user(user: User, pk: int, *, write: bool = False) -> Contract:
    return _get_child_or_404(contracts_visible_to(user), pk, user=user, write=write)


def obligations_visible_to(user: User) -> QuerySet[ContractObligation]:
    return ContractObligation.objects.filter(
        _account_scope(user, "contract__account")
    ).select_related("contract__account")


def obligation_get_for_user(user: User, pk: int, *, write: bool = False) -> ContractObligation:
    return _get_child_or_404(
        obligations_visible_to(user),
        pk,
        user=user,
        write=write,
        account_of=lambda o: o.contract.account,
    )


def orders_visible_to(user: User) -> QuerySet[Order]:
    return Order.objects.filter(_account_scope(user, "account")).select_related(
        "account", "contract"
    )


def order_get_for_user(user: User, pk: int, *, write: bool = False) -> Order:
    return _get_child_or_404(orders_visible_to(user), pk, user=user, write=write)


def order_lines_visible_to(user: User) -> QuerySet[OrderLine]:
    return OrderLine.objects.filter(_account_scope(user, "order__account")).select_related(
        "order__account", "product"
    )


def returns_visible_to(user: User) -> QuerySet[Return]:
    return Return.objects.filter(_account_scope(user, "order_line__order__account")).select_related(
        "order_line__order__account", "order_line__product", "recorded_by"
    )


def return_get_for_user(user: User, pk: int, *, write: bool = False) -> Return:
    return _get_child_or_404(
        returns_visible_to(user),
        pk,
        user=user,
        write=write,
        account_of=lambda r: r.order_line.order.account,
    )


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(_account_scope(user, "account")).select_related(
        "account", "contact"
    )


def complaint_get_for_user(user: User, pk: int, *, write: bool = False) -> Complaint:
    return _get_child_or_404(complaints_visible_to(user), pk, user=user, write=write)


def products_visible_to(user: User) -> QuerySet[Product]:
    """The price list: for everyone signed in."""
    products = Product.objects.select_related("category")
    return products if user.is_authenticated and user.is_active else products.none()


def activities_visible_to(user: User) -> QuerySet[Activity]:
    if not can_see_private_notes(user):
        scope = _NOTHING
    else:
        scope = _account_scope(user, "account")
        if user.is_kam:
            scope |= Q(owner_id=user.pk)
    return Activity.objects.filter(scope).select_related("account", "owner")


def activity_can_edit(user: User, activity: Activity) -> bool:
    if user.is_admin_role:
        return True
    if user.is_director:
        return activity.account.territory_id == user.territory_id
    if user.is_kam:
        return activity.owner_id == user.pk
    return False


def activity_get_for_user(user: User, pk: int, *, write: bool = False) -> Activity:
    activity = _get_or_404(activities_visible_to(user), pk)
    if write and not activity_can_edit(user, activity):
        raise PermissionDenied("You may view this activity but not change it.")
    return activity


def activity_owners_for(user: User) -> QuerySet[User]:
    """Whose planner `user` may open and plan in: their own, or also their KAMs'."""
    if user.is_kam:
        return User.objects.filter(pk=user.pk)
    if user.is_director:
        return User.objects.filter(
            Q(role=Role.KAM, is_active=True, territory_id=user.territory_id) | Q(pk=user.pk)
        )
    if user.is_admin_role:
        return User.objects.filter(role=Role.KAM, is_active=True)
    return User.objects.none()


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_get_for_user(user: User, pk: int) -> Notification:
    return _get_or_404(notifications_visible_to(user), pk)


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from None


def _get_child_or_404(queryset: QuerySet, pk, *, user: User, write: bool, account_of=None):
    """A record under an account: 404 outside scope, 403 on `write` when read-only."""
    obj = _get_or_404(queryset, pk)
    account = account_of(obj) if account_of else obj.account
    if write and not account_can_edit(user, account):
        raise PermissionDenied(f"You may view this {obj._meta.verbose_name} but not change it.")
    return obj
