"""The key-account health score: a 0-100 figure per account, recomputed nightly."""
