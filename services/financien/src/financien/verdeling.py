"""Splitting money over actielijnen: the platform's rule (`nplv_shared.verdeling`), which
rapportage applies to the same amounts."""

from nplv_shared.verdeling import CENT, verdeel

__all__ = ["CENT", "verdeel"]
