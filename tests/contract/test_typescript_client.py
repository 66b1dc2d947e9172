"""Each committed OpenAPI document can be built against by a front end: openapi-typescript turns it
into types, and a small TypeScript program that uses openapi-fetch with those types passes
`tsc --strict`. The program references every operation by its operationId (generated from the
document, so a service added to services.toml is covered without changes here) and, for the
services below that have one, makes typed calls the way a front end does. A self-check proves
that tsc rejects a wrong program, so a green run means the types were really checked.

Needs the Node tooling from package.json (`make node`); no running services."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import servicelist

ROOT = Path(__file__).resolve().parents[2]
SERVICES = [s.name for s in servicelist.SERVICES]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]*$")
MAX_OPERATION_ID_LENGTH = 40
TIMEOUT_S = 120

TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "module": "ESNext",
        "moduleResolution": "bundler",
        "lib": ["ES2022", "DOM"],
        "strict": True,
        "noEmit": True,
        "types": [],
        "forceConsistentCasingInFileNames": True,
    },
}

# Shared by every program: the client a front end creates from the generated `paths`, and an
# exact type equality to tie each path + method to its operation.
PRELUDE = """\
import createClient from "openapi-fetch";
import type {{ components, operations, paths }} from "./{service}";

export type Components = components;
export const client = createClient<paths>({{ baseUrl: "https://nplv.example/v1" }});

type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
"""

# What a front end of each service does, written by hand. Services without an entry still get
# the generated part (every operation by its operationId).
HAND_WRITTEN: dict[str, str] = {
    "gebieden": """\
type GetInterventie = operations["getInterventie"];
type CreateInterventie = operations["createInterventie"];
type ListInterventies = operations["listInterventies"];
type Interventie = GetInterventie["responses"][200]["content"]["application/json"];
type InterventieInvoer =
  CreateInterventie["requestBody"]["content"]["application/json"];

export async function leesTitel(
  interventieId: GetInterventie["parameters"]["path"]["interventieId"],
): Promise<string | undefined> {
  const { data, error } = await client.GET("/interventies/{interventieId}", {
    params: { path: { interventieId } },
  });
  if (error) {
    const probleem: string = error.title;
    throw new Error(probleem);
  }
  const titel: string = data.titel;
  const status: Interventie["status"] = data.status;
  return status === "gestopt" ? undefined : titel;
}

export async function maakInterventie(): Promise<Interventie | undefined> {
  const { data } = await client.POST("/interventies", {
    body: {
      focusgebied: "rotterdam-zuid",
      actielijn: 2,
      titel: "Buurtpreventie Hillesluis",
      status: "lopend",
      ministerie: "BZK",
      startdatum: "2025-01-01",
      geplandeOutput: 40,
      outputEenheid: "woningen",
    },
    params: { header: { "Idempotency-Key": "a2f4c1e8-0b7d-4c55-9a51-3f7a0c2f9d10" } },
  });
  return data;
}

// openapi-typescript 7 (default --default-non-nullable) makes a property with a `default`
// required, also in request bodies: a front end sends `status` even though the API defaults it.
export const invoer: InterventieInvoer = {
  focusgebied: "rotterdam-zuid",
  actielijn: 1,
  titel: "Schoolwegen veilig",
  status: "gepland",
};

export async function lijst(
  query: NonNullable<ListInterventies["parameters"]["query"]>,
): Promise<Interventie[]> {
  const { data } = await client.GET("/interventies", { params: { query } });
  return data?.resultaten ?? [];
}
""",
    "financien": """\
type GetBegrotingsregel = operations["getBegrotingsregel"];
type Begrotingsregel = GetBegrotingsregel["responses"][200]["content"]["application/json"];
type CreateToekenning = operations["createToekenning"];
type Toekenning = CreateToekenning["responses"][201]["content"]["application/json"];

export async function bedrag2024(regelCode: string): Promise<string | null | undefined> {
  const { data } = await client.GET("/begrotingsregels/{regelCode}", {
    params: { path: { regelCode } },
  });
  const regel: Begrotingsregel | undefined = data;
  return regel?.bedragen.find((b) => b.jaar === 2024)?.bedrag;
}

export async function kenToe(): Promise<Toekenning | undefined> {
  const { data } = await client.POST("/toekenningen", {
    body: {
      begrotingsregel: "volkshuisvestingsfonds",
      focusgebied: "rotterdam-zuid",
      jaar: 2024,
      bedrag: "500000.00",
    },
  });
  const bedrag: string | undefined = data?.bedrag;
  return bedrag === undefined ? undefined : data;
}
""",
    "indicatoren": """\
type GetMeting = operations["getMeting"];
type PutMeting = operations["putMeting"];
type Meting = GetMeting["responses"][200]["content"]["application/json"];
type MetingInvoer = PutMeting["requestBody"]["content"]["application/json"];

export async function leesWaarde(
  indicatorCode: GetMeting["parameters"]["path"]["indicatorCode"],
  regioCode: GetMeting["parameters"]["path"]["regioCode"],
): Promise<string | undefined> {
  const { data } = await client.GET("/metingen/{indicatorCode}/{regioCode}/{periodeId}", {
    params: { path: { indicatorCode, regioCode, periodeId: "2024-2025" } },
  });
  const status: Meting["status"] | undefined = data?.status;
  return status === "definitief" ? data?.waarde : undefined;
}

export async function corrigeer(etag: string): Promise<Meting | undefined> {
  const invoer: MetingInvoer = {
    waarde: "41.5", status: "definitief", bron: "CBS 85984NED", reden: "Definitieve cijfers",
  };
  const { data, error } = await client.PUT("/metingen/{indicatorCode}/{regioCode}/{periodeId}", {
    params: {
      path: {
        indicatorCode: "ervaren-veiligheid", regioCode: "rotterdam-zuid", periodeId: "2023B",
      },
      header: { "If-Match": etag },
    },
    body: invoer,
  });
  if (error) {
    const probleem: string = error.title;
    throw new Error(probleem);
  }
  return data;
}
""",
    "rapportage": """\
type GetVoortgang = operations["getVoortgang"];
type Voortgang = GetVoortgang["responses"][200]["content"]["application/json"];

export async function leesVoortgang(
  focusgebiedCode: GetVoortgang["parameters"]["path"]["focusgebiedCode"],
): Promise<Voortgang | undefined> {
  const { data } = await client.GET("/voortgang/focusgebieden/{focusgebiedCode}", {
    params: { path: { focusgebiedCode } },
  });
  const naam: string | undefined = data?.naam;
  const aantal: number = data?.actielijnen[1]?.aantalInterventies ?? 0;
  return naam === undefined || aantal < 0 ? undefined : data;
}
""",
}

# Programs for gebieden that tsc must reject, each for one reason.
WRONG_PROGRAMS: dict[str, str] = {
    "missing_path_parameter": """\
export const antwoord = client.GET("/interventies/{interventieId}", {});
""",
    "field_that_does_not_exist": """\
export async function lees(): Promise<unknown> {
  const { data } = await client.GET("/interventies/{interventieId}", {
    params: { path: { interventieId: "0b7d4c55-9a51-4f7a-8c2f-9d10a2f4c1e8" } },
  });
  return data?.bestaatNiet;
}
""",
    "body_without_required_titel": """\
export const antwoord = client.POST("/interventies", {
  body: { focusgebied: "rotterdam-zuid", actielijn: 2, status: "gepland" },
});
""",
    "unknown_path": """\
export const antwoord = client.GET("/interventie", {});
""",
    "unknown_operation_id": """\
export type Bestaat = operations["getInterventieNiet"];
""",
    "operation_on_the_wrong_path": """\
export const ok: Same<paths["/interventies"]["get"], operations["getInterventie"]> = true;
""",
}


def _document(service: str) -> dict[str, Any]:
    path = ROOT / "contracts" / "openapi" / f"{service}.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, item[method]) for path, item in doc["paths"].items()
            for method in METHODS if method in item]


def _operation_id_problems(doc: dict[str, Any]) -> list[str]:
    problems = []
    ids = []
    for path, method, op in _operations(doc):
        op_id = op.get("operationId")
        if not isinstance(op_id, str):
            problems.append(f"{method.upper()} {path}: geen operationId")
            continue
        ids.append(op_id)
        if not OPERATION_ID.match(op_id) or len(op_id) > MAX_OPERATION_ID_LENGTH:
            problems.append(f"{method.upper()} {path}: operationId {op_id!r} is geen korte "
                            f"camelCase-naam (^[a-z][a-zA-Z0-9]*$, max "
                            f"{MAX_OPERATION_ID_LENGTH} tekens)")
    problems += [f"operationId {op_id!r} komt {n} keer voor"
                 for op_id, n in Counter(ids).items() if n > 1]
    return problems


def _program(service: str) -> str:
    """The TypeScript program for one service: prelude, every operation by its operationId,
    then the hand-written part if there is one."""
    doc = _document(service)
    problems = _operation_id_problems(doc)
    assert not problems, f"{service}: operationIds ongeschikt voor een client:\n" + "\n".join(
        problems)
    lines = [PRELUDE.format(service=service),
             "// Every operation, by its operationId, is the one at its path and method."]
    for path, method, op in _operations(doc):
        op_id = op["operationId"]
        lines.append(f"export const operatie_{op_id}: Same<paths[{json.dumps(path)}]"
                     f"[{json.dumps(method)}], operations[{json.dumps(op_id)}]> = true;")
    lines.append("")
    lines.append(HAND_WRITTEN.get(service, ""))
    return "\n".join(lines)


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run(["npx", "--no-install", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=TIMEOUT_S, check=False, env=env)


def _tsc(directory: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    tsconfig = directory / "tsconfig.json"
    tsconfig.write_text(json.dumps({**TSCONFIG, "files": [f.name for f in files]}, indent=2),
                        encoding="utf-8")
    return _run(["tsc", "--noEmit", "--strict", "--pretty", "false", "-p", str(tsconfig)])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Directory with `<service>.ts` generated by openapi-typescript from the committed
    document, and node_modules of the repository linked in so `openapi-fetch` resolves."""
    made: dict[str, Path] = {}

    def generate(service: str) -> Path:
        if service not in made:
            directory = tmp_path_factory.mktemp(f"ts-{service}")
            (directory / "node_modules").symlink_to(ROOT / "node_modules",
                                                     target_is_directory=True)
            result = _run(["openapi-typescript", f"contracts/openapi/{service}.json",
                           "-o", str(directory / f"{service}.ts")])
            assert result.returncode == 0, (
                f"openapi-typescript kan de OpenAPI van {service} niet omzetten (ontbreekt "
                f"node_modules? `make node`):\n{result.stdout}{result.stderr}")
            made[service] = directory
        return made[service]

    return generate


@pytest.mark.parametrize("service", SERVICES)
class TestOpenApiIsUsableForAFrontEnd:
    def test_operation_ids_are_unique_short_camel_case(self, service: str) -> None:
        problems = _operation_id_problems(_document(service))
        assert not problems, f"{service}:\n" + "\n".join(problems)

    def test_every_operation_has_a_description(self, service: str) -> None:
        missing = [f"{method.upper()} {path} ({op.get('operationId')})"
                   for path, method, op in _operations(_document(service))
                   if not str(op.get("description") or "").strip()]
        assert not missing, (f"{service}: {len(missing)} operaties zonder description:\n"
                             + "\n".join(missing))

    def test_every_tag_used_is_declared_with_a_description(self, service: str) -> None:
        doc = _document(service)
        declared = {t.get("name"): str(t.get("description") or "").strip()
                    for t in doc.get("tags", [])}
        used = sorted({tag for _, _, op in _operations(doc) for tag in op.get("tags", [])})
        undeclared = [t for t in used if t not in declared]
        undescribed = [t for t in used if t in declared and not declared[t]]
        assert not undeclared, (
            f"{service}: tags van operaties die niet bovenaan in `tags` staan: {undeclared}")
        assert not undescribed, f"{service}: tags zonder description: {undescribed}"

    def test_typescript_client_compiles_strict(self, service: str,
                                               generated: Callable[[str], Path]) -> None:
        directory = generated(service)
        program = directory / "client.ts"
        program.write_text(_program(service), encoding="utf-8")
        result = _tsc(directory, [program])
        assert result.returncode == 0, (
            f"een TypeScript-client van {service} compileert niet (tsc --strict):\n"
            f"{result.stdout}{result.stderr}\n--- client.ts ---\n{program.read_text()}")


def test_tsc_rejects_wrong_programs(generated: Callable[[str], Path]) -> None:
    """Self-check: each wrong use of the gebieden client is a tsc error in its own file, so the
    compile test above can fail for a real reason."""
    directory = generated("gebieden")
    prelude = PRELUDE.format(service="gebieden")
    files = []
    for name, body in WRONG_PROGRAMS.items():
        path = directory / f"wrong_{name}.ts"
        path.write_text(prelude + "\n" + body, encoding="utf-8")
        files.append(path)
    result = _tsc(directory, files)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"tsc accepteerde foute programma's:\n{output}"
    # An error in the prelude (e.g. openapi-fetch not found) would make every file fail for the
    # wrong reason: it must compile, and each file must fail after it.
    prelude_lines = prelude.count("\n") + 1
    errors = [(name, int(line)) for name, line in re.findall(
        r"(wrong_\w+\.ts)\((\d+),\d+\): error TS", output)]
    assert not [e for e in errors if e[1] <= prelude_lines], f"fout in de prelude:\n{output}"
    accepted = [f.name for f in files if f.name not in {name for name, _ in errors}]
    assert not accepted, f"tsc vond geen fout in {accepted}:\n{output}"
