"""Writes of the commissions app, one module per sub-domain (schemes, the ledger, periods)."""
