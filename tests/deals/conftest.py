"""Records under alice's (A), bob's (B) and charlie's (C) accounts, one of each kind."""

from dataclasses import dataclass

import pytest

from deals.models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    Offer,
    OfferLine,
    Order,
    Return,
)
from tests.deals.factories import (
    ComplaintFactory,
    ContractFactory,
    DealFactory,
    DealStageChangeFactory,
    ObligationFactory,
    OfferFactory,
    OfferLineFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ReturnFactory,
)


@dataclass
class Book:
    """One account's deal, draft offer with a line, contract with an obligation, delivered
    order with a line and a return, and open complaint."""

    deal: Deal
    offer: Offer
    line: OfferLine
    contract: Contract
    obligation: ContractObligation
    order: Order
    item: Return
    complaint: Complaint


def book_build(account, product) -> Book:
    deal = DealFactory(account=account, stage=Deal.Stage.OFFER, probability=40)
    DealStageChangeFactory(deal=deal)
    offer = OfferFactory(deal=deal, version=1)
    contract = ContractFactory(account=account, deal=deal)
    order = OrderFactory(account=account, contract=contract, status=Order.Status.DELIVERED)
    order_line = OrderLineFactory(order=order, product=product)
    return Book(
        deal=deal,
        offer=offer,
        line=OfferLineFactory(offer=offer, product=product),
        contract=contract,
        obligation=ObligationFactory(contract=contract),
        order=order,
        item=ReturnFactory(order_line=order_line),
        complaint=ComplaintFactory(account=account),
    )


@pytest.fixture
def product(db):
    return ProductFactory(sku="CAB-001", name="Copper cable")


@pytest.fixture
def books(alice_account, bob_account, charlie_account, product) -> dict[str, Book]:
    return {
        "A": book_build(alice_account, product),
        "B": book_build(bob_account, product),
        "C": book_build(charlie_account, product),
    }


@pytest.fixture
def kam(client, alice):
    """A client signed in as alice."""
    client.force_login(alice)
    return client
