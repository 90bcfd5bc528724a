"""Reads for the dashboards, one module per dashboard."""

from .director import Cockpit, cockpit, leakage
from .finance import FinanceDashboard, finance_dashboard
from .kam import KamDashboard, kam_dashboard

__all__ = [
    "Cockpit",
    "FinanceDashboard",
    "KamDashboard",
    "cockpit",
    "finance_dashboard",
    "kam_dashboard",
    "leakage",
]
