"""Splitting an amount over actielijnen by percentage, exactly to the cent.

Rounding rule (largest remainder, Hamilton): each actielijn first gets its share rounded down
to the cent; the cents left over (fewer than the number of actielijnen) go one each to the
actielijnen with the largest remainder, ties to the lowest actielijn number. The parts always
add up to the amount: no cent is lost or invented. Negative amounts are split as the negation
of the split of their absolute value.
"""

from collections.abc import Sequence
from decimal import Decimal

CENT = Decimal("0.01")


def verdeel(bedrag: Decimal, aandelen: Sequence[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """`aandelen`: (actielijn, percentage) summing to exactly 100. Returns actielijn → part."""
    if not aandelen:
        return {}
    if sum(p for _, p in aandelen) != 100:
        raise ValueError("aandelen tellen niet op tot 100%")
    if bedrag < 0:
        return {k: -v for k, v in verdeel(-bedrag, aandelen).items()}
    cents = int((bedrag / CENT).to_integral_exact())
    if Decimal(cents) * CENT != bedrag:
        raise ValueError("bedrag heeft meer dan twee decimalen")
    exact = {a: Decimal(cents) * p / 100 for a, p in aandelen}  # in cents, exact enough
    floors = {a: int(v) for a, v in exact.items()}  # v ≥ 0: int() rounds down
    left = cents - sum(floors.values())
    order = sorted(exact, key=lambda a: (-(exact[a] - floors[a]), a))
    for a in order[:left]:
        floors[a] += 1
    return {a: Decimal(c) * CENT for a, c in sorted(floors.items())}
