"""The financien service of NPLV."""
