"""`make bench`: the benchmark harness (`python -m bench.run`, see README "Benchmarks").

Puts tools/ on the import path, so the harness uses the same `devstack` as `make up` and the
tests."""

import sys
from pathlib import Path

_TOOLS = str(Path(__file__).resolve().parent.parent / "tools")
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)
