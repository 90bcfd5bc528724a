import pytest
from django.utils import translation

# The headless Chromium fixture of the browser tests, for the Polish planner test here.
from tests.browser.conftest import browser  # noqa: F401


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Polish leaves Polish active in this thread; later tests expect English."""
    yield
    translation.deactivate()
