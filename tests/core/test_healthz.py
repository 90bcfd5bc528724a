from unittest import mock


def test_healthz_reports_database_and_broker_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")


def test_healthz_is_503_when_the_broker_is_unreachable(client, db, settings):
    from kam_crm.celery import app

    with mock.patch.object(app, "connection_for_write", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: ConnectionError"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("core.health.connection") as connection:
        connection.cursor.side_effect = OSError("refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OSError"
