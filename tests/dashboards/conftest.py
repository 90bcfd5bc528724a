"""Dashboards read from receivables' documents: the same fixtures issue them."""

from tests.receivables.conftest import default_rates_and_levels, issue, pay  # noqa: F401
