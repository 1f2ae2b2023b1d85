"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

# pytest-django's live_server runs in this process; sync Playwright runs an event loop in it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT_DIR = Path(os.environ.get("E2E_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "test-artifacts"))
AXE_SCRIPT = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"Chromium is required for the browser tests but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "ja-JP"}


@pytest.fixture
def screenshot(page):
    """screenshot("journey1-month-view"): a PNG of what the user sees, for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(name: str, *, phone: bool = False) -> Path:
        if phone:
            page.set_viewport_size({"width": 390, "height": 844})
        path = SCREENSHOT_DIR / f"{name}{'-phone' if phone else ''}.png"
        page.screenshot(path=str(path), full_page=True)
        if phone:
            page.set_viewport_size({"width": 1366, "height": 768})
        return path

    return take


# Rules axe rates "moderate" that we still hold every page to: one h1, headings that do not skip a
# level, the page's content in <main>.
STRUCTURE_RULES = ("heading-order", "page-has-heading-one", "landmark-one-main")

# What axe has no rule for: a second h1, and a page not declared Japanese.
_STRUCTURE = """() => ({
  lang: document.documentElement.getAttribute('lang'),
  h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
})"""


def _structure_violations(page) -> list[dict]:
    found = page.evaluate(_STRUCTURE)
    violations = []
    if found["lang"] != "ja":
        violations.append({"id": "lang-ja", "help": f'<html lang="ja"> expected, found {found["lang"]!r}', "nodes": []})
    if len(found["h1"]) > 1:
        nodes = [{"target": [text]} for text in found["h1"]]
        violations.append({"id": "single-h1", "help": "A page has one h1", "nodes": nodes})
    return violations


@pytest.fixture
def axe(page):
    """axe(): run axe-core on the current page and return the serious and critical violations,
    and any break of the page structure (lang="ja", one h1, headings in order, a main landmark)."""

    def run() -> list[dict]:
        if not AXE_SCRIPT.exists():
            if os.environ.get("E2E_REQUIRED") == "1":
                raise AssertionError(f"axe-core is missing: {AXE_SCRIPT} (make test installs it with npm)")
            return []
        # Evaluated through the DevTools protocol: the page's strict CSP (rightly) refuses script tags.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            v for v in result["violations"] if v["impact"] in ("serious", "critical") or v["id"] in STRUCTURE_RULES
        ]
        return violations + _structure_violations(page)

    return run


def next_totp_code(device: TOTPDevice) -> int:
    """The code the authenticator app shows now, or the next one when the current one is spent.

    django-otp refuses a time step it already accepted (replay protection), so a second login within
    the same 30 seconds uses the next step, which the device's tolerance of one step still accepts.
    """
    clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    clock.time = time.time()
    return hotp(device.bin_key, max(clock.t(), device.last_t + 1), digits=device.digits)


@pytest.fixture
def log_in(page, live_server):
    """log_in(user): sign in through the real form (and the TOTP step when the user has a device)."""

    def go(user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("ユーザー名").fill(user.username)
        page.get_by_label("パスワード").fill(password)
        page.get_by_role("button", name="ログイン").click()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            page.wait_for_url("**/two-factor/verify/**")
            code = next_totp_code(device)
            page.get_by_label("確認コード").fill(f"{code:06d}")
            page.get_by_role("button", name="確認").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return go


# ---- data a contractor would already have before the journeys start -------------------------


@pytest.fixture
def peer_setup(contractor_a, coordinator_a):
    """contractor_a's peer-support contract for the current 年度 and coordinator_a's coordinator record."""
    from django.utils import timezone

    from accounts.wareki import fiscal_year_of
    from tests.peers.factories import ContractFactory, CoordinatorFactory

    year = fiscal_year_of(timezone.localdate())
    contract = ContractFactory(
        organisation=contractor_a, fiscal_year=year, start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31)
    )
    coordinator = CoordinatorFactory(organisation=contractor_a, user=coordinator_a, name="調整 花子")
    return SimpleNamespace(contract=contract, coordinator=coordinator, year=year)


def expect_no_serious_violations(violations: list[dict]) -> None:
    """Fail with axe's rule ids and the offending elements, so the message says what to fix."""
    assert violations == [], [(v["id"], v["help"], [node["target"] for node in v["nodes"]][:5]) for v in violations]


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

# The elements that stick out to the right of a phone screen, for the failure message.
_OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(el => !el.closest('.table-wrap, .chart'))
  .slice(0, 8)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
       + ' right=' + Math.round(el.getBoundingClientRect().right))"""


def expect_fits_phone_width(page) -> None:
    """The page needs no sideways scrolling on a 390-pixel-wide phone (wide tables scroll in their own box)."""
    page.set_viewport_size(PHONE)
    try:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (page.url, widths, page.evaluate(_OVERFLOWING))
    finally:
        page.set_viewport_size(DESKTOP)
