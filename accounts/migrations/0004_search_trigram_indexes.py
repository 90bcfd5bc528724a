"""Trigram indexes for the global search, on PostgreSQL only (core/search.py).

`unaccent` is only STABLE (its dictionary could change), so an index cannot use it directly;
`kam_unaccent` pins the dictionary and is declared IMMUTABLE, the usual wrapper. Searches use
the same expression, `kam_unaccent(lower(column))`, so the planner can pick these indexes for
`LIKE '%word%'`. SQLite has neither extension and searches with a plain LIKE.
"""

from django.db import migrations

UNACCENT_FUNCTION = """
CREATE OR REPLACE FUNCTION kam_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""

INDEXES = [
    ("accounts_account_name_trgm", "accounts_account", "name"),
    ("accounts_account_legal_name_trgm", "accounts_account", "legal_name"),
    ("accounts_account_tax_id_trgm", "accounts_account", "tax_id"),
    ("accounts_contact_first_name_trgm", "accounts_contact", "first_name"),
    ("accounts_contact_last_name_trgm", "accounts_contact", "last_name"),
    ("accounts_contact_email_trgm", "accounts_contact", "email"),
    ("accounts_contact_phone_trgm", "accounts_contact", "phone"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(UNACCENT_FUNCTION)
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
    dependencies = [("accounts", "0003_tax_id_message")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
