"""Schema-driven fuzzing of every service's running API (schemathesis, pinned in the dev group):
every check on, a fixed seed and a fixed number of examples per operation, so the run is bounded
by count and repeatable. It runs against a stack of its own (the fuzzer writes, deletes and
replaces whatever its token allows), authenticated as the programmabureau with every write scope.
`tests/contract/schemathesis.toml` holds the few expectations that differ from the checks'
defaults, each with its reason."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import devstack
import servicelist
from nplv_shared.tokens import ensure_keys, mint

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 20261130
EXAMPLES_PER_OPERATION = 40
# every scope, so the fuzzer gets past authorisation into validation (also of /v1/audit)
ALL_SCOPES = ["nplv:gebieden:beheer", "nplv:gebieden:schrijven",
              "nplv:interventies:schrijven", "nplv:indicatoren:beheer",
              "nplv:indicatoren:schrijven", "nplv:financien:schrijven",
              "nplv:financien:goedkeuren", "nplv:financien:beheer", "nplv:audit:lezen"]


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[devstack.Stack, str]]:
    base = tmp_path_factory.mktemp("fuzz")
    private_path, public_path = ensure_keys(base / "keys")
    overrides = {f"{s.prefix}WRITES_PER_MINUTE": "0" for s in servicelist.SERVICES}
    with devstack.ephemeral_stack(base, public_path, **overrides) as stack:
        yield stack, mint("BZK", ALL_SCOPES, private_key=private_path.read_text())


@pytest.mark.parametrize("service", [s.name for s in servicelist.SERVICES])
def test_fuzzing_finds_nothing(service: str, fuzz_stack: tuple[devstack.Stack, str],
                               tmp_path: Path) -> None:
    stack, token = fuzz_stack
    base = f"{stack.api_url(servicelist.by_name(service))}/v1"
    started = time.monotonic()
    result = subprocess.run(
        [str(Path(sys.executable).with_name("st")), "--config-file", str(CONFIG), "run",
         f"{base}/openapi.json", "--url", base, "--checks", "all",
         "--phases", "examples,coverage,fuzzing,stateful",
         "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", str(SEED),
         "--generation-database", "none", "--workers", "1",
         "--header", f"Authorization: Bearer {token}", "--no-color",
         "--report", "junit", "--report-dir", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    generated = re.search(r"(\d+) generated", result.stdout)
    print(f"\n{service}: {generated.group(1) if generated else '?'} requests generated in "
          f"{time.monotonic() - started:.0f} s (seed {SEED}, {EXAMPLES_PER_OPERATION} examples "
          "per operation)")
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert generated, result.stdout
    assert int(generated.group(1)) > 0
