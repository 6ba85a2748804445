"""Browser journeys: Playwright drives Debian's Chromium against a live server, with axe-core on every page."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop on this thread; the ORM calls the tests make
# to set up data are ordinary blocking calls, so tell Django they are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SELFDIRECT_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _missing_requirement() -> str | None:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        return f"Chromium is not installed at {CHROMIUM}"
    if not AXE.exists():
        return "axe-core is not installed (npm ci)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _missing_requirement()
    if missing:
        if os.environ.get("SELFDIRECT_E2E_REQUIRED") == "1":
            pytest.fail(f"Browser tests are required here: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the pages' own policy is tested elsewhere.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class AccessibilityViolations(AssertionError):
    pass


def _axe(page) -> None:
    """axe-core on the page as it stands: no violations of WCAG 2.0, 2.1 or 2.2 at A and AA."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = result["violations"]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in violations
        ]
        raise AccessibilityViolations(f"{page.url}:\n" + "\n".join(lines))


def assert_accessible(page) -> None:
    """Every page a journey visits: axe at 1280 px and at 320 px, and at 320 px the page
    reflows (WCAG 2.2 1.4.10): nothing scrolls sideways but tables in their own focusable box."""
    assert_accessible_at_both_widths(page)


WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => {
      const box = el.parentElement && el.parentElement.closest("[role=region][tabindex='0']");
      return !box || getComputedStyle(box).overflowX === "visible";
    })
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().right)}px)`);
}"""


def assert_accessible_at_both_widths(page) -> None:
    """axe at 1280 px and at 320 px, where the page must also reflow: nothing wider than the
    screen but the tables, which scroll in their own focusable box (WCAG 2.2 1.4.10)."""
    for width, height in ((1280, 900), (320, 720)):
        page.set_viewport_size({"width": width, "height": height})
        _axe(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (
            f"{page.url} scrolls sideways by {overflow}px at {width}px: "
            f"{page.evaluate(WIDE_ELEMENTS)}"
        )
        for region in page.locator("[role=region][tabindex='0']").all():
            assert region.get_attribute("aria-label"), "a scroll box is named"
    page.set_viewport_size({"width": 1100, "height": 900})


PASSWORD = "a-long-test-password"  # noqa: S105 - the test users' password
DEMO_PASSWORD = "demo-council-2026"  # noqa: S105 - the made-up demo council's


def sign_in(page, username, password=PASSWORD, *, check=True) -> None:
    """Sign in on the sign-in page (checked with axe first, unless check=False)."""
    page.goto("/accounts/login/")
    if check:
        assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def code_for(device) -> str:
    """The authenticator app's current code for a TOTP device."""
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def advance(page, button) -> None:
    """Press a button that leads to another page, and wait until that page has loaded."""
    before = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: url != before)


@pytest.fixture
def council(db):
    """A team with a practitioner (with an authenticator app), Iris and Arthur on its caseload,
    and a stranger on another team's: made through the factories and actions."""
    import datetime as dt

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.roles import Role
    from accounts.tests.factories import TeamFactory, UserFactory
    from people.tests.factories import PersonFactory

    team = TeamFactory(name="Wexcombe Central Older People's Team", code="central-older")
    other = TeamFactory(name="Westford Adults Team", code="westford-adults")
    practitioner = UserFactory(
        role=Role.PRACTITIONER,
        username="practitioner",
        first_name="Pat",
        last_name="Okoro",
        team=team,
    )
    device = TOTPDevice.objects.create(user=practitioner, name="Phone", confirmed=True)
    person_user = UserFactory(
        role=Role.PERSON, username="person", first_name="Iris", last_name="Marlow"
    )
    iris = PersonFactory(
        first_name="Iris",
        last_name="Marlow",
        date_of_birth=dt.date(1941, 3, 2),
        sex="female",
        nhs_number="9434765919",
        postcode="WX1 4DQ",
        team=team,
        user=person_user,
        primary_support_reason="physical_personal_care",
        acting_user=practitioner,
    )
    PersonFactory(
        first_name="Arthur",
        last_name="Dent",
        date_of_birth=dt.date(1950, 7, 7),
        sex="male",
        nhs_number=None,
        postcode="WX2 1AB",
        team=team,
        acting_user=practitioner,
    )
    stranger = PersonFactory(
        first_name="Hidden",
        last_name="Stranger",
        date_of_birth=dt.date(1980, 1, 1),
        sex="male",
        nhs_number=None,
        postcode="",
        team=other,
    )
    return {"practitioner": practitioner, "device": device, "iris": iris, "stranger": stranger}


# --- Several people taking turns, each in their own browser context ---------------------------


@pytest.fixture
def contexts():
    """Browser contexts the test opens, closed at its end."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def open_as(browser, live_server, council, username, contexts):
    """A fresh browser context signed in as `username` (staff pass their second factor with
    the device in `council["devices"]`), for journeys where several people take turns."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1100, "height": 900}
    )
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    device = council["devices"].get(username)
    if device is not None:
        page.wait_for_url("**/accounts/security-code/**")
        page.get_by_label("Security code").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    return page


def go(page, role, name):
    """Follow a link or button to another page, and wait until it has loaded."""
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state()
