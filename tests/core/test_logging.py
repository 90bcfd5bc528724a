"""The development console: each line of Django's once, and a refused request (403) as one
line without a traceback."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse


@pytest.fixture
def console():
    """What the configured console handler writes."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_django_line_is_printed_once(console):
    logging.getLogger("django.utils.autoreload").info("Watching for file changes with X")
    assert console.getvalue().count("Watching for file changes") == 1
    consoles = [h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler]
    assert len(consoles) == 1


def test_a_403_is_one_line_without_traceback(console, client, fiona):
    client.force_login(fiona)  # finance may read accounts, not create them
    response = client.get(reverse("accounts:create"))
    assert response.status_code == 403
    out = console.getvalue()
    assert "Forbidden" in out
    assert "Traceback" not in out


def test_a_real_error_keeps_its_traceback(console):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error", exc_info=True)
    assert "Traceback" in console.getvalue()
    try:
        raise PermissionDenied("no")
    except PermissionDenied:
        logging.getLogger("django.request").warning("Forbidden", exc_info=True)
    assert console.getvalue().count("Traceback") == 1
