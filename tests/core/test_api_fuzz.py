"""Schemathesis over the whole OpenAPI schema, in process (WSGI): every operation, as every
role that can call it, answers without a server error. Bounded (a few examples per operation)
so the suite stays quick; an endpoint added later is covered by itself, as the schema is read
from the code (drf-spectacular), not listed here."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from tests.deals.factories import (
    ComplaintFactory,
    ContractFactory,
    DealFactory,
    OfferFactory,
    OrderFactory,
    ProductFactory,
)
from tests.factories import ActivityFactory, ContactFactory, DossierNoteFactory

ROLES = ("alice", "dora", "fiona", "adam")  # KAM, director, finance, admin
EXAMPLES = 3


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


# Generated cases only (valid and invalid), a few per operation; the coverage phase (every
# boundary of every parameter) would take far longer than CI allows for the whole suite.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": EXAMPLES},
    }
)
schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture
def in_process_requests():
    """As Django's test client does: a request made inside the test's transaction must not
    close the database connection when it finishes (CONN_MAX_AGE=0 on PostgreSQL would)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, in_process_requests, alice, dora, fiona, adam, alice_account):
    """A little of everything on alice's account, so ids in paths sometimes exist."""
    ProductFactory()
    deal = DealFactory(account=alice_account, owner=alice)
    OfferFactory(deal=deal, created_by=alice)
    ContractFactory(account=alice_account)
    OrderFactory(account=alice_account)
    ComplaintFactory(account=alice_account)
    ContactFactory(account=alice_account)
    DossierNoteFactory(account=alice_account, author=alice)
    ActivityFactory(account=alice_account, owner=alice)
    users = {"alice": alice, "dora": dora, "fiona": fiona, "adam": adam}
    return {role: Token.objects.create(user=users[role]).key for role in ROLES}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, tokens):
    for role in ROLES:
        response = case.call(headers={"Authorization": f"Token {tokens[role]}"})
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code != 401, "the token was not taken: nothing was tested"
