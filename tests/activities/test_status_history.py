"""Activities' status moves leave a history row (who, when, from which status), as deals,
offers, contracts and orders do: completing, cancelling, marking missed."""

import pytest

from activities import services
from activities.models import Activity
from tests.activities.conftest import MONDAY, local


@pytest.fixture
def visit(alice, alice_account):
    return services.activity_plan(
        actor=alice,
        account=alice_account,
        owner=alice,
        type=Activity.Type.VISIT,
        starts_at=local(MONDAY, 9),
    )


def _trail(activity):
    return [(h.status, h.history_user) for h in activity.history.order_by("history_id")]


def test_completing_writes_a_history_row_with_who_did_it(alice, dora, visit):
    services.activity_complete(actor=dora, activity=visit, outcome="Signed the annex.")
    trail = _trail(visit)
    assert [status for status, _ in trail] == ["planned", "done"]
    assert trail[-1] == ("done", dora)
    assert visit.history.first().outcome == "Signed the annex."


@pytest.mark.parametrize(
    ("move", "status"),
    [(services.activity_cancel, "cancelled"), (services.activity_mark_missed, "missed")],
)
def test_cancelling_or_missing_writes_a_history_row(alice, visit, move, status):
    move(actor=alice, activity=visit)
    assert _trail(visit)[-1] == (status, alice)
    assert visit.history.first().prev_record.status == "planned"
