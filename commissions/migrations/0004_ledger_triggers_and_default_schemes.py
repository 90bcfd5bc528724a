"""The database refuses any change to the entries and statements of a closed (or paid) period,
whatever code attempts it; and the default schemes from the seed's numbers."""

from datetime import date
from decimal import Decimal

from django.db import migrations

D = Decimal
FROZEN = "('closed', 'paid')"
TABLES = ("commissions_commissionentry", "commissions_statement")

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION commissions_refuse_closed_period() RETURNS trigger AS $$
DECLARE
    frozen boolean;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status IN {FROZEN} INTO frozen FROM commissions_commissionperiod
            WHERE id = OLD.period_id;
        IF frozen THEN
            RAISE EXCEPTION 'commission period % is closed: its entries and statements cannot change',
                OLD.period_id USING ERRCODE = '23514';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status IN {FROZEN} INTO frozen FROM commissions_commissionperiod
            WHERE id = NEW.period_id;
        IF frozen THEN
            RAISE EXCEPTION 'commission period % is closed: nothing can be added to it',
                NEW.period_id USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;
"""


def _postgres_sql() -> tuple[list[str], list[str]]:
    forward = [POSTGRES_FUNCTION]
    backward = []
    for table in TABLES:
        forward.append(
            f"CREATE TRIGGER {table}_closed BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION commissions_refuse_closed_period();"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {table}_closed ON {table};")
    backward.append("DROP FUNCTION IF EXISTS commissions_refuse_closed_period();")
    return forward, backward


def _sqlite_sql() -> tuple[list[str], list[str]]:
    forward, backward = [], []
    status = "(SELECT status FROM commissions_commissionperiod WHERE id = {row}.period_id)"
    for table in TABLES:
        for op, when in (
            ("insert", f"{status.format(row='NEW')} IN {FROZEN}"),
            (
                "update",
                f"{status.format(row='OLD')} IN {FROZEN} OR {status.format(row='NEW')} IN {FROZEN}",
            ),
            ("delete", f"{status.format(row='OLD')} IN {FROZEN}"),
        ):
            name = f"{table}_closed_{op}"
            forward.append(
                f"CREATE TRIGGER {name} BEFORE {op.upper()} ON {table} WHEN {when} BEGIN "
                "SELECT RAISE(ABORT, 'commission period is closed: its entries and statements "
                "cannot change'); END;"
            )
            backward.append(f"DROP TRIGGER IF EXISTS {name};")
    return forward, backward


def _run(schema_editor, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        sql = _postgres_sql()
    elif vendor == "sqlite":
        sql = _sqlite_sql()
    else:
        return
    for statement in sql[0] if forward else sql[1]:
        schema_editor.execute(statement, params=None)  # the SQL holds literal % signs


def triggers_install(apps, schema_editor):
    _run(schema_editor, True)


def triggers_remove(apps, schema_editor):
    _run(schema_editor, False)


BRACKETS = [(D("0"), D("100000"), D("15")), (D("100000"), D("1000000"), D("10")), (D("1000000"), None, D("5"))]
MULTIPLIERS = [
    (D("0"), D("70"), D("0")),
    (D("70"), D("90"), D("0.5")),
    (D("90"), D("100"), D("0.8")),
    (D("100"), D("120"), D("1.0")),
    (D("120"), None, D("1.2")),
]


def seed(apps, schema_editor):
    """The seed's numbers: 15 % of a sale up to 100,000, 10 % up to 1,000,000, 5 % above,
    marginal, earned on payment; the margin variant 20 % of margin; the plan multiplier."""
    Scheme = apps.get_model("commissions", "CommissionScheme")
    Version = apps.get_model("commissions", "SchemeVersion")
    Bracket = apps.get_model("commissions", "Bracket")
    Band = apps.get_model("commissions", "MultiplierBand")
    for code, name, is_default, basis, brackets in (
        ("standard", "Standard (amount)", True, "amount", BRACKETS),
        ("margin", "Margin", False, "margin", [(D("0"), None, D("20"))]),
    ):
        scheme, created = Scheme.objects.get_or_create(
            code=code, defaults={"name": name, "is_default": is_default, "currency": "PLN"}
        )
        if not created:
            continue
        version = Version.objects.create(
            scheme=scheme,
            valid_from=date(2000, 1, 1),
            basis=basis,
            mode="marginal",
            earned_on="payment",
            note="The seed's defaults",
        )
        Bracket.objects.bulk_create(
            Bracket(version=version, lower=lo, upper=up, rate=rate) for lo, up, rate in brackets
        )
        Band.objects.bulk_create(
            Band(version=version, lower=lo, upper=up, factor=f) for lo, up, f in MULTIPLIERS
        )


class Migration(migrations.Migration):
    dependencies = [("commissions", "0003_commission_ledger")]

    operations = [
        migrations.RunPython(triggers_install, triggers_remove),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
