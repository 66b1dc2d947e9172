"""Period identifiers: the platform's (`nplv_shared.perioden`), which rapportage reads too."""

from nplv_shared.perioden import (
    MAX_JAAR,
    MIN_JAAR,
    PERIODE_PATTERN,
    OngeldigePeriode,
    Periode,
    PeriodeType,
    of_type,
    parse,
)

__all__ = ["MAX_JAAR", "MIN_JAAR", "PERIODE_PATTERN", "OngeldigePeriode", "Periode",
           "PeriodeType", "of_type", "parse"]
