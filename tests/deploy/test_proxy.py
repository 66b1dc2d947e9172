"""Behind the ingress the APIs must put the public URL in their Link headers. uvicorn is started
with the API command of the manifests (`--proxy-headers`), on a small app that pages with the
platform's `paginate`: X-Forwarded-Proto counts only from an address in FORWARDED_ALLOW_IPS, and
the host is always the Host header the proxy passes on (uvicorn ignores X-Forwarded-Host)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.deploy.conftest import Manifest, of_kind, pod_spec

APP = '''
from fastapi import Depends, FastAPI, Request
from nplv_shared.paging import PageParams, page_params, paginate

app = FastAPI()

@app.get("/v1/dingen")
def dingen(request: Request, params: PageParams = Depends(page_params)):
    return paginate(request, [], 45, params)
'''

HEADERS = {"Host": "gebieden.api.nplv.example", "X-Forwarded-Proto": "https",
           "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "elders.example"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def api(command: list[str], app_dir: Path, trusted: str) -> Iterator[str]:
    """The manifest's uvicorn command on 127.0.0.1, serving the app in `app_dir`."""
    port = free_port()
    args = [*command[1:]]
    args[0] = "proxyapp:app"
    args[args.index("--host") + 1] = "127.0.0.1"
    args[args.index("--port") + 1] = str(port)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", *args, "--app-dir", str(app_dir)],
                            env={"PATH": "/usr/bin:/bin", "FORWARDED_ALLOW_IPS": trusted},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{url}/v1/dingen", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    error = proc.stderr.read().decode() if proc.stderr else ""
                    raise AssertionError(f"uvicorn startte niet\n{error}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def api_command(rendered: dict[str, list[Manifest]]) -> list[str]:
    container = pod_spec(of_kind(rendered["prod"], "Deployment")["gebieden-api"])["containers"][0]
    command: list[str] = container["command"]
    assert command[0] == "uvicorn"
    assert "--proxy-headers" in command
    return command


def next_link(url: str) -> str:
    response = httpx.get(f"{url}/v1/dingen?page=2&pageSize=10", headers=HEADERS, timeout=5)
    assert response.status_code == 200
    return next(part.split(";")[0].strip(" <>") for part in response.headers["link"].split(",")
                if 'rel="next"' in part)


def test_forwarded_headers_count_only_from_trusted_proxies(
        rendered: dict[str, list[Manifest]], tmp_path: Path) -> None:
    (tmp_path / "proxyapp.py").write_text(APP)
    command = api_command(rendered)
    prod_trusted = of_kind(rendered["prod"], "ConfigMap")["nplv-proxy"]["data"][
        "FORWARDED_ALLOW_IPS"]
    assert "127.0.0.1" not in prod_trusted  # so this test's client is an untrusted peer there

    with api(command, tmp_path, trusted="127.0.0.1") as url:  # we are the trusted proxy
        assert next_link(url) == "https://gebieden.api.nplv.example/v1/dingen?page=3&pageSize=10"

    with api(command, tmp_path, trusted=prod_trusted) as url:  # we are not
        assert next_link(url) == "http://gebieden.api.nplv.example/v1/dingen?page=3&pageSize=10"
