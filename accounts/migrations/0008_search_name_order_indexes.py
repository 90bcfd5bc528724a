"""Btree indexes in the global search's name order, on PostgreSQL only (core/search.py,
`name_group`).

The search lists the contacts whose surname starts with the first word typed before the others,
A-Z. Both the prefix and the order are taken on `kam_unaccent(lower(column)) COLLATE "C"`, so
one btree on exactly that expression gives the matching rows already sorted and the select
stops after a handful instead of sorting every match (28,000 contacts named Wiśniewski in the
bench). "C" because only a byte-order btree can answer LIKE 'prefix%'. SQLite has no
`kam_unaccent` (accounts' 0004) and sorts in memory.
"""

from django.db import migrations

INDEXES = [
    ("accounts_contact_name_order", "accounts_contact", ["last_name", "first_name"]),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        keys = ", ".join(f'(kam_unaccent(lower({column}))) COLLATE "C"' for column in columns)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({keys}, id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_account_billing_contact")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
