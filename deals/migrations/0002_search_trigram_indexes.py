"""Trigram indexes for the global search on PostgreSQL: deal titles, contract numbers and the
client's order references. `kam_unaccent` comes from accounts' `0004_search_trigram_indexes`."""

from django.db import migrations

INDEXES = [
    ("deals_deal_title_trgm", "deals_deal", "title"),
    ("deals_contract_number_trgm", "deals_contract", "number"),
    ("deals_order_reference_trgm", "deals_order", "reference"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (kam_unaccent(lower({column})) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_search_trigram_indexes"),
        ("deals", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
