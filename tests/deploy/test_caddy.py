"""deploy/Caddyfile in front of ``juntos serve --workers 2 --trusted-proxy 127.0.0.1``, over
HTTPS with Caddy's internal CA on loopback: Secure cookie, HSTS, and the login throttle per
real client (two clients on two loopback addresses). No browser needed.

Skipped where caddy is not installed, with a reason; under ``CI=true`` that is a failure
(``.ci/run`` installs Debian's caddy).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from juntos import house
from juntos.accounts import store as accounts
from juntos.clock import system_clock
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
PER_ADDRESS = 6  # failed logins per client address (20 in production: the same mechanism)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def caddy_binary() -> str:
    found = shutil.which("caddy")
    if found is None:
        message = "caddy not installed (apt-get install caddy): the HTTPS deployment is untested"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI=true: this test must run")
        pytest.skip(message)
    return found


def wait_for(check, what: str, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, httpx.HTTPError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, object]]:
    caddy = caddy_binary()
    db_path = tmp_path / "juntos.db"
    db = house.open_db(db_path)
    orgs.create(db, OrganisationInput.validated(name="Acção Cidadã", slug="org-a",
                                                country="MZ"), now=system_clock())
    accounts.create(db, email="ana@example.org", password=PASSWORD, org_slug="org-a",
                    role="member", name="Ana", now=system_clock())
    db.close()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = {**os.environ, "JUNTOS_BASE_URL": f"https://localhost:{https_port}",
           "JUNTOS_LOGIN_ATTEMPTS_PER_ADDRESS": str(PER_ADDRESS),
           "JUNTOS_CALENDAR_SYNC_MINUTES": "0"}
    with (tmp_path / "juntos.log").open("wb") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "juntos", "--db", str(db_path), "serve", "--host",
             "127.0.0.1", "--port", str(app_port), "--workers", "2", "--trusted-proxy",
             "127.0.0.1", "--no-dispatch"], env=env, cwd=tmp_path, start_new_session=True,
            stdout=log, stderr=subprocess.STDOUT)
    site = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "juntos.example.org {" in site and "reverse_proxy 127.0.0.1:8000" in site
    site = site.replace("juntos.example.org {", f"localhost:{https_port} {{")
    site = site.replace("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{app_port}")
    config = tmp_path / "Caddyfile"
    # Test-only globals: no admin endpoint (no clash with a system Caddy), free ports, the
    # internal CA without touching the system's trust store, state in the temporary folder.
    config.write_text("{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n"
                      f"\thttp_port {http_port}\n\thttps_port {https_port}\n"
                      f"\tstorage file_system {tmp_path / 'caddy'}\n}}\n\n{site}",
                      encoding="utf-8")
    caddy_env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
                 "XDG_CONFIG_HOME": str(tmp_path)}
    with (tmp_path / "caddy.log").open("wb") as log:
        proxy = subprocess.Popen(
            [caddy, "run", "--config", str(config), "--adapter", "caddyfile"], env=caddy_env,
            cwd=tmp_path, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
    root_cert = tmp_path / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        wait_for(lambda: httpx.get(f"http://127.0.0.1:{app_port}/login").status_code == 200,
                 "juntos serve")
        wait_for(root_cert.exists, "caddy's internal CA")
        yield {"url": f"https://localhost:{https_port}", "root_cert": root_cert,
               "logs": tmp_path}
    finally:
        stop(proxy)
        stop(app)


def client(site: dict[str, object], address: str) -> httpx.Client:
    """A browser-like client connecting from its own loopback address."""
    tls = ssl.create_default_context(cafile=str(site["root_cert"]))
    transport = httpx.HTTPTransport(verify=tls, local_address=address)
    return httpx.Client(base_url=str(site["url"]), transport=transport, timeout=20)


def login(c: httpx.Client, email: str, password: str,
          headers: dict[str, str] | None = None) -> httpx.Response:
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return c.post("/login", data={"email": email, "password": password,
                                  "csrf_token": token.group(1)}, headers=headers or {})


def test_https_through_caddy_with_secure_cookie_hsts_and_per_client_throttle(site) -> None:
    attacker, member = client(site, "127.0.0.2"), client(site, "127.0.0.3")
    with attacker, member:
        first = attacker.get("/login")
        assert first.status_code == 200 and first.url.scheme == "https"
        assert first.headers["strict-transport-security"].startswith("max-age=31536000")
        cookie = first.headers["set-cookie"]
        assert "juntos_session=" in cookie and "secure" in cookie.lower(), cookie
        assert "httponly" in cookie.lower()

        for n in range(PER_ADDRESS):  # one client guesses at several accounts
            r = login(attacker, f"guess{n}@example.org", "wrong password")
            assert r.status_code == 400, r.status_code
        assert login(attacker, "ana@example.org", PASSWORD).status_code == 429
        # Claiming to be another client does not help: Caddy replaces X-Forwarded-For.
        spoofed = login(attacker, "ana@example.org", PASSWORD,
                        headers={"X-Forwarded-For": "127.0.0.3"})
        assert spoofed.status_code == 429

        r = login(member, "ana@example.org", PASSWORD)  # another client is not locked out
        assert r.status_code == 303, (r.status_code, r.text[:300])
        assert r.headers["location"] == "/"
        assert "secure" in r.headers["set-cookie"].lower()
        home = member.get("/")
        assert home.status_code == 200 and "Ana" in home.text
        assert home.headers["strict-transport-security"]
