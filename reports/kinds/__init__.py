"""One module per report kind; each registers itself (see reports/registry.py)."""
