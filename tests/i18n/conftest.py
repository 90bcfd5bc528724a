# The headless Chromium fixture of the browser tests, for the Polish planner test here.
from tests.browser.conftest import browser  # noqa: F401
