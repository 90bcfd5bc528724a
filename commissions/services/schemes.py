"""Commission schemes as rules: which version applies to a KAM on a day, and what a base earns.

`bracket_commission` and `multiplier_for` are the one place the scheme's arithmetic lives: the
period calculation (statements), the offer panel and the tests all call them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Bracket,
    BracketMode,
    CommissionBasis,
    CommissionScheme,
    EarnedOn,
    MultiplierBand,
    SchemeAssignment,
    SchemeVersion,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
ONE = Decimal("1")


@dataclass(frozen=True)
class Slice:
    """The part of a base that fell in one bracket, and what it earned (not rounded)."""

    lower: Decimal
    upper: Decimal | None
    amount: Decimal
    rate: Decimal

    @property
    def commission(self) -> Decimal:
        return self.amount * self.rate / HUNDRED

    def as_json(self) -> dict:
        return {
            "lower": str(self.lower),
            "upper": None if self.upper is None else str(self.upper),
            "amount": str(self.amount),
            "rate": format(self.rate.normalize(), "f"),
            "commission": str(self.commission.quantize(Decimal("0.01"))),
        }


@dataclass(frozen=True)
class Rules:
    """One scheme version, loaded: what the arithmetic needs and nothing else."""

    version_id: int | None
    scheme: str
    valid_from: date
    basis: str = CommissionBasis.AMOUNT
    mode: str = BracketMode.MARGINAL
    earned_on: str = EarnedOn.PAYMENT
    currency: str = "PLN"
    # (lower, upper or None, rate %), ascending, contiguous from 0.
    brackets: tuple[tuple[Decimal, Decimal | None, Decimal], ...] = ()
    # (lower %, upper % or None, factor), ascending, contiguous from 0.
    bands: tuple[tuple[Decimal, Decimal | None, Decimal], ...] = ()


# --- the arithmetic ---------------------------------------------------------------------------


def _floor(base: Decimal) -> Decimal:
    # A sale whose margin is negative earns nothing, never a negative commission.
    return base if base > 0 else ZERO


def bracket_commission(rules: Rules, base: Decimal) -> Decimal:
    """What a sale of cumulative `base` earns in total (exact, not rounded)."""
    return sum((s.commission for s in bracket_slices(rules, ZERO, base)), ZERO)


def bracket_slices(rules: Rules, before: Decimal, after: Decimal) -> list[Slice]:
    """The slices a sale's base earns on as it grows from `before` to `after`.

    Marginal: each part of [before, after) at the rate of the bracket it lies in. Flat: the
    whole sale at its bracket's rate, as the sale's total at `after` less its total at
    `before` (so a flat sale crossing a bracket may earn less: that is what flat means).
    """
    before, after = _floor(before), _floor(after)
    if rules.mode == BracketMode.FLAT:
        return [s for s in (_flat(rules, after), _flat(rules, before, sign=-1)) if s.amount]
    slices = []
    low, high = min(before, after), max(before, after)
    sign = 1 if after >= before else -1
    for lower, upper, rate in rules.brackets:
        start = max(low, lower)
        end = high if upper is None else min(high, upper)
        if end > start:
            slices.append(Slice(lower, upper, sign * (end - start), rate))
    return slices


def _flat(rules: Rules, base: Decimal, *, sign: int = 1) -> Slice:
    for lower, upper, rate in rules.brackets:
        if base >= lower and (upper is None or base < upper):
            return Slice(lower, upper, sign * base, rate)
    return Slice(ZERO, None, ZERO, ZERO)


def multiplier_for(rules: Rules, ratio: Decimal | None) -> tuple[Decimal, int | None]:
    """The plan multiplier for an invoiced fulfilment `ratio` (1 = 100 %) and the index of its
    band; 1 (and no band) without a plan to measure by or without a table."""
    if ratio is None or not rules.bands:
        return ONE, None
    percent = ratio * HUNDRED
    for index, (lower, upper, factor) in enumerate(rules.bands):
        if percent >= lower and (upper is None or percent < upper):
            return factor, index
    return ONE, None


# --- validation -------------------------------------------------------------------------------


def brackets_validate(rows: Sequence[tuple[Decimal, Decimal | None, Decimal]]) -> None:
    """Refuse a bracket table that does not cover [0, ∞) exactly once."""
    _ranges_validate(rows, field="brackets", what=_("bracket"))
    for _lower, _upper, rate in rows:
        if rate < 0 or rate > HUNDRED:
            raise ValidationError({"brackets": _("A rate is between 0 and 100 %.")})


def multipliers_validate(rows: Sequence[tuple[Decimal, Decimal | None, Decimal]]) -> None:
    """Refuse a multiplier table with gaps or overlaps, or whose factors go down as
    fulfilment goes up (a KAM who sells more would be paid less)."""
    if not rows:
        return
    _ranges_validate(rows, field="multipliers", what=_("band"))
    factors = [factor for _lower, _upper, factor in sorted(rows, key=lambda r: r[0])]
    if any(f < 0 for f in factors):
        raise ValidationError({"multipliers": _("A multiplier cannot be negative.")})
    if any(b < a for a, b in pairwise(factors)):
        raise ValidationError(
            {
                "multipliers": _(
                    "The multipliers are out of order: a higher fulfilment must never earn a "
                    "smaller multiplier."
                )
            }
        )


def _ranges_validate(rows, *, field: str, what: str) -> None:
    if not rows:
        raise ValidationError({field: _("Add at least one %(what)s.") % {"what": what}})
    ordered = sorted(rows, key=lambda r: r[0])
    if ordered[0][0] != 0:
        raise ValidationError({field: _("The first %(what)s must start at 0.") % {"what": what}})
    for (lower, upper, _x), (next_lower, _u, _y) in pairwise(ordered):
        if upper is None:
            raise ValidationError(
                {field: _("Only the last %(what)s may be open-ended.") % {"what": what}}
            )
        if upper <= lower:
            raise ValidationError(
                {field: _("A %(what)s must end above where it starts.") % {"what": what}}
            )
        if next_lower > upper:
            raise ValidationError(
                {
                    field: _("Gap between %(a)s and %(b)s: every value needs a %(what)s.")
                    % {"a": upper, "b": next_lower, "what": what}
                }
            )
        if next_lower < upper:
            raise ValidationError(
                {
                    field: _(
                        "Overlap between %(a)s and %(b)s: a value may fall in one %(what)s only."
                    )
                    % {"a": next_lower, "b": upper, "what": what}
                }
            )
    if ordered[-1][1] is not None:
        raise ValidationError(
            {field: _("The last %(what)s must be open-ended (no upper bound).") % {"what": what}}
        )


@transaction.atomic
def scheme_version_create(
    *,
    scheme: CommissionScheme,
    valid_from: date,
    basis: str,
    mode: str = BracketMode.MARGINAL,
    earned_on: str = EarnedOn.PAYMENT,
    brackets: Iterable[tuple[Decimal, Decimal | None, Decimal]],
    multipliers: Iterable[tuple[Decimal, Decimal | None, Decimal]] = (),
    note: str = "",
) -> SchemeVersion:
    """A new version of `scheme` from `valid_from`; its tables validated before anything is
    written, so a refused table leaves nothing half-saved."""
    brackets, multipliers = list(brackets), list(multipliers)
    brackets_validate(brackets)
    multipliers_validate(multipliers)
    if SchemeVersion.objects.filter(scheme=scheme, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("This scheme already has a version from that day.")})
    version = SchemeVersion(
        scheme=scheme, valid_from=valid_from, basis=basis, mode=mode, earned_on=earned_on, note=note
    )
    version.full_clean()
    version.save()
    Bracket.objects.bulk_create(
        Bracket(version=version, lower=lo, upper=up, rate=rate) for lo, up, rate in brackets
    )
    MultiplierBand.objects.bulk_create(
        MultiplierBand(version=version, lower=lo, upper=up, factor=f) for lo, up, f in multipliers
    )
    return version


# --- which rules apply ------------------------------------------------------------------------


@dataclass
class RuleBook:
    """Every scheme version and assignment, loaded once (four queries), to answer "which rules
    apply to this KAM on this day" without a query per invoice."""

    versions: dict[int, list[Rules]] = field(default_factory=dict)  # scheme id -> newest first
    by_kam: dict[int, list[tuple[date, int]]] = field(default_factory=dict)
    by_territory: dict[int, list[tuple[date, int]]] = field(default_factory=dict)
    default_scheme: int | None = None

    def scheme_for(self, *, kam_id: int, territory_id: int | None, on: date) -> int | None:
        for assignments in (self.by_kam.get(kam_id, []), self.by_territory.get(territory_id, [])):
            for valid_from, scheme_id in assignments:  # newest first
                if valid_from <= on:
                    return scheme_id
        return self.default_scheme

    def rules_for(self, *, kam_id: int, territory_id: int | None, on: date) -> Rules | None:
        scheme_id = self.scheme_for(kam_id=kam_id, territory_id=territory_id, on=on)
        for rules in self.versions.get(scheme_id, []):
            if rules.valid_from <= on:
                return rules
        return None


def rulebook_load() -> RuleBook:
    book = RuleBook()
    schemes = {s.pk: s for s in CommissionScheme.objects.all()}
    book.default_scheme = next((pk for pk, s in schemes.items() if s.is_default), None)
    brackets: dict[int, list] = {}
    for b in Bracket.objects.order_by("version_id", "lower"):
        brackets.setdefault(b.version_id, []).append((b.lower, b.upper, b.rate))
    bands: dict[int, list] = {}
    for m in MultiplierBand.objects.order_by("version_id", "lower"):
        bands.setdefault(m.version_id, []).append((m.lower, m.upper, m.factor))
    for v in SchemeVersion.objects.order_by("scheme_id", "-valid_from"):
        book.versions.setdefault(v.scheme_id, []).append(
            Rules(
                version_id=v.pk,
                scheme=schemes[v.scheme_id].name,
                valid_from=v.valid_from,
                basis=v.basis,
                mode=v.mode,
                earned_on=v.earned_on,
                currency=schemes[v.scheme_id].currency,
                brackets=tuple(brackets.get(v.pk, ())),
                bands=tuple(bands.get(v.pk, ())),
            )
        )
    for a in SchemeAssignment.objects.order_by("-valid_from", "-pk"):
        if a.kam_id:
            book.by_kam.setdefault(a.kam_id, []).append((a.valid_from, a.scheme_id))
        else:
            book.by_territory.setdefault(a.territory_id, []).append((a.valid_from, a.scheme_id))
    return book
