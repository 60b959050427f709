"""Sign-in with a real OpenID Connect provider (oidc-provider 9 on loopback) in Debian's chromium.

The provider is tests/e2e/oidc/provider.mjs; its development login form accepts any name, and the
name's prefix picks the groups claim that config/access.toml maps to a role (see the script).
The app is served by `python -m reassess.ui.serve` with `--secrets.files` pointing at a temporary
secrets.toml holding `[auth]`, so nothing is written into the working tree.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from reassess.access import pages_for
from reassess.store.audit import AuditLog
from tests.e2e.server import free_port, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
OIDC = ROOT / "tests" / "e2e" / "oidc"
CLIENT_ID = "reassess-test"
CLIENT_SECRET = "reassess-test-secret-not-for-production"  # the provider script's test client


def install_provider() -> None:
    """`npm ci` the provider from the committed lock file, unless `make test` already did."""
    if (OIDC / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed for the sign-in test: apt-get install nodejs npm")
    with (OIDC / "package-lock.json").open() as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers install once
        if not (OIDC / "node_modules" / "oidc-provider" / "package.json").exists():
            subprocess.run(
                [npm, "ci", "--prefix", str(OIDC), "--no-audit", "--no-fund"],
                check=True,
                capture_output=True,
                timeout=300,
            )


def wait_http(url: str, proc: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{out[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url} in time")
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def signin_app(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider and the app, both on loopback; yields the app's URL (http://localhost:PORT).

    The app's data folder (its audit trail) is `signin_data`."""
    install_provider()
    idp_port, app_port = free_port(), free_port()
    app = f"http://localhost:{app_port}"
    provider = subprocess.Popen(
        ["node", "provider.mjs", str(idp_port), f"{app}/oauth2callback"],
        cwd=OIDC,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    folder = tmp_path_factory.mktemp("signin")
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{app}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "http://localhost:{idp_port}/.well-known/openid-configuration"\n'
        # Streamlit asks for prompt=select_account by default, which oidc-provider refuses.
        'client_kwargs = { prompt = "login" }\n'
    )
    data = tmp_path_factory.getbasetemp() / "signin-data"
    data.mkdir()
    (data / "snapshots").symlink_to(demo_dir / "snapshots", target_is_directory=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reassess.ui.serve",
            "--server.headless",
            "true",
            "--server.port",
            str(app_port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            "--secrets.files",
            str(secrets_file),
        ],
        cwd=ROOT,
        env={**os.environ, "REASSESS_DATA_DIR": str(data)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://localhost:{idp_port}/.well-known/openid-configuration", provider, "node")
        wait_http(f"{app}/_stcore/health", server, "streamlit")
        yield app
    finally:
        stop(server)
        stop(provider)


@pytest.fixture(scope="module")
def signin_data(signin_app: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "signin-data"


def sign_in(browser, app: str, path: str, login: str):
    """A fresh browser context that opens `path`, signs in as `login` and comes back."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{app}{path}")
    wait_ready(page)
    assert page.get_by_text("Sign in with your organisation account").count() == 1
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.locator("[data-testid='stMetric']").count() == 0
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("input[name=login]", timeout=30_000)
    assert page.url.startswith("http://localhost:") and "/interaction/" in page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password works here")
    page.click("button[type=submit]")
    page.get_by_role("button", name="Continue").click()  # the provider's consent screen
    page.wait_for_url(f"{app}/**", timeout=30_000)
    wait_ready(page)
    return context, page, errors


def menu(page) -> list[str]:
    links = page.locator("[data-testid='stSidebarNav'] a")
    return [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]


def test_a_commander_signs_in_and_sees_workload(
    signin_app: str, signin_data: Path, browser
) -> None:
    context, page, errors = sign_in(browser, signin_app, "/workload", "cmd-alice")
    try:
        assert page.get_by_text("Signed in as cmd-alice@example.org · Commander").count() == 1
        assert menu(page) == [p.title for p in pages_for("commander")]
        page.goto(f"{signin_app}/workload")
        wait_ready(page)
        assert page.locator("h1").filter(has_text="Workload").count() == 1
        assert page.get_by_text("By officer").count() >= 1  # per-officer detail, commander only
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_role("button", name="Sign out").count() == 1
    finally:
        context.close()
    assert not errors, errors
    log = AuditLog(signin_data / "audit")
    signed = log.read(action="sign_in", user="cmd-alice@example.org")
    assert len(signed) >= 1 and set(signed["role"]) == {"commander"}  # once per session
    views = log.read(action="page_view", user="cmd-alice@example.org")
    assert {"overview", "workload"} <= set(views["page"])
    assert log.verify().ok


def test_a_mayors_office_user_is_refused_workload_in_words(signin_app: str, browser) -> None:
    context, page, errors = sign_in(browser, signin_app, "/", "mopac-bob")
    try:
        assert page.get_by_text("Signed in as mopac-bob@example.org · Mayor's office").count() == 1
        assert "/briefing" in page.url
        page.goto(f"{signin_app}/workload?role=commander")
        wait_ready(page)
        page.get_by_text("role cannot open Workload").first.wait_for(timeout=20_000)
        # The ?role= in the URL changes nothing: the signed-in role decides.
        assert page.get_by_text("The Mayor's office (MOPAC) role cannot open Workload").count() == 1
        assert page.get_by_text("By officer").count() == 0
        assert page.locator("h1").filter(has_text="Workload").count() == 0
        # the menu holds exactly the pages the role may open (Briefing and Reinvestigation)
        assert menu(page) == [p.title for p in pages_for("mayors_office")]
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
    assert not errors, errors


def test_an_account_with_no_role_sees_the_no_access_page(signin_app: str, browser) -> None:
    context, page, errors = sign_in(browser, signin_app, "/overview", "visitor-carol")
    try:
        assert page.get_by_text("has no role on the review dashboard").count() == 1
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        assert page.locator("[data-testid='stMetric']").count() == 0
        assert page.get_by_role("button", name="Sign out").count() == 1
    finally:
        context.close()
    assert not errors, errors
