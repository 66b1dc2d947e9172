"""The plausibility flag of a meting (pure, no I/O): is the new value a jump against the
region's own history for the indicator? A flag, never a refusal.

Modified z-score (Iglewicz and Hoaglin): `M = 0.6745 × (x − median) / MAD`, with MAD the median
of the absolute deviations from the median of the history. `|M| > 3.5` is implausible.

- Fewer than `MIN_HISTORY` (4) earlier values: no judgement (`plausibel = None`, no score):
  with three points or fewer the median and MAD say too little.
- MAD = 0 (at least half of the history has the same value): the score is undefined. Then a
  value equal to the median is plausible (score 0); any other value is compared with the mean
  absolute deviation instead (`M = (x − median) / (1.253314 × meanAD)`, the usual fallback);
  when that is 0 too (the whole history is one value), any other value is implausible and
  has no score.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

DREMPEL = Decimal("3.5")
MIN_HISTORY = 4
_CONSISTENCY = Decimal("0.6745")
_MEAN_AD = Decimal("1.253314")
_MAX_SCORE = Decimal("9999999999.99")


@dataclass(frozen=True)
class Oordeel:
    plausibel: bool | None
    zscore: Decimal | None  # rounded to 2 decimals; None when there is none


def beoordeel(waarde: Decimal, historie: Sequence[Decimal]) -> Oordeel:
    if len(historie) < MIN_HISTORY:
        return Oordeel(None, None)
    mid = Decimal(median(historie))
    deviations = [abs(v - mid) for v in historie]
    mad = Decimal(median(deviations))
    if mad != 0:
        score = _CONSISTENCY * (waarde - mid) / mad
    elif waarde == mid:
        score = Decimal(0)
    else:
        mean_ad = sum(deviations, Decimal(0)) / len(deviations)
        if mean_ad == 0:
            return Oordeel(False, None)
        score = (waarde - mid) / (_MEAN_AD * mean_ad)
    shown = max(min(score, _MAX_SCORE), -_MAX_SCORE)  # what numeric(12, 2) holds
    return Oordeel(abs(score) <= DREMPEL, shown.quantize(Decimal("0.01")) + 0)
