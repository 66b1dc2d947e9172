"""The indicatoren service of NPLV."""
