"""Fixtures for the browser / HTML-validation tests of a generated site.

The site folder comes from the environment variable SITE_DIR (required).
Every test that takes a `page_path` argument is parametrised over all *.html
files in the site (ids are the paths relative to SITE_DIR).

Environment:
  SITE_DIR   folder written by the generator (required)
  CHROMIUM   browser binary (default /usr/bin/chromium); Playwright's own
             browser downloads are never used
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}

# Schemes a page may request; anything else would leave the file:// sandbox.
# (blob: URLs are created by the page itself and never leave the machine.)
LOCAL_SCHEMES = {"file", "data", "about", "blob"}


# --------------------------------------------------------------- the site --

def _site_dir() -> Path:
    raw = os.environ.get("SITE_DIR", "").strip()
    if not raw:
        raise pytest.UsageError(
            "SITE_DIR is not set. Point it at the generated site, e.g.\n"
            "    SITE_DIR=Output .venv-test/bin/python -m pytest Tests/Browser\n"
            "or run Scripts/check-browser.sh Output"
        )
    path = Path(raw).expanduser().resolve()
    if not path.is_dir():
        raise pytest.UsageError(f"SITE_DIR={raw!r} is not a directory ({path})")
    return path


def _visible_files(root: Path, pattern: str) -> list[str]:
    """Relative POSIX paths of files matching pattern, skipping dot-folders/files."""
    found = []
    for p in root.rglob(pattern):
        rel = p.relative_to(root)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            found.append(rel.as_posix())
    return sorted(found)


def pytest_configure(config: pytest.Config) -> None:
    site = _site_dir()
    pages = _visible_files(site, "*.html")
    if not pages:
        raise pytest.UsageError(f"SITE_DIR={site} contains no *.html files")
    config.stash[_SITE_KEY] = site
    config.stash[_PAGES_KEY] = pages


_SITE_KEY = pytest.StashKey[Path]()
_PAGES_KEY = pytest.StashKey[list]()


def pytest_report_header(config: pytest.Config) -> list[str]:
    site = config.stash[_SITE_KEY]
    return [
        f"site: {site} ({len(config.stash[_PAGES_KEY])} html pages)",
        f"chromium: {chromium_path()}",
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        # Handouts are standalone documents (no site navigation, no skip link): test_handouts.py checks them.
        pages = [p for p in metafunc.config.stash[_PAGES_KEY] if not p.startswith("handouts/")]
        metafunc.parametrize("page_path", pages, ids=pages)


@pytest.fixture(scope="session")
def site_dir(pytestconfig: pytest.Config) -> Path:
    return pytestconfig.stash[_SITE_KEY]


@pytest.fixture(scope="session")
def site_pages(pytestconfig: pytest.Config) -> list[str]:
    return list(pytestconfig.stash[_PAGES_KEY])


# ------------------------------------------------------------ the browser --

def chromium_path() -> str:
    return os.environ.get("CHROMIUM") or "/usr/bin/chromium"


def chromium_args() -> list[str]:
    args = [
        # /dev/shm is tiny (64 MB) in default Docker containers; chromium
        # crashes tabs there without this.
        "--disable-dev-shm-usage",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start as root with its sandbox enabled.
        args.append("--no-sandbox")
    return args


@pytest.fixture(scope="session")
def browser() -> Browser:
    exe = chromium_path()
    if not Path(exe).exists():
        pytest.exit(f"no browser at {exe}; run Scripts/install-test-deps.sh or set CHROMIUM", 2)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=chromium_args())
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageRecord:
    """Everything the currently loaded document did since it was opened."""

    page: Page
    site_dir: Path
    loaded: str | None = None  # relative path of the document now in the page
    pristine: bool = False  # False once a test has interacted (keyboard)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # non-local, aborted by us
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, error)
    console_errors: list[tuple[str, str, int | None]] = field(default_factory=list)  # (text, url, line)
    page_errors: list[str] = field(default_factory=list)

    def url_for(self, rel: str) -> str:
        return (self.site_dir / rel).as_uri()

    def open(self, rel: str, fresh: bool = False) -> Page:
        """Load rel (relative to SITE_DIR) and wait for the load event.

        Consecutive tests on the same page share one load unless fresh=True
        or a test marked the document as used (see `touch`).
        """
        if fresh or not self.pristine or self.loaded != rel:
            self.loaded, self.pristine = None, False
            for lst in (self.requests, self.blocked, self.failed, self.console_errors, self.page_errors):
                lst.clear()
            self.page.goto(self.url_for(rel), wait_until="load")
            self.loaded, self.pristine = rel, True
        return self.page

    def touch(self) -> None:
        """The test changed the document (focus, scroll, ...): reload next time."""
        self.pristine = False

    def relative(self, url: str) -> str:
        """Shorten file:// URLs inside the site for messages."""
        prefix = self.site_dir.as_uri() + "/"
        return url[len(prefix):] if url.startswith(prefix) else url


_NON_LOCAL_URL = re.compile(r"^(?!(?:%s):)" % "|".join(sorted(LOCAL_SCHEMES)), re.IGNORECASE)


def _is_local(url: str) -> bool:
    return urlsplit(url).scheme.lower() in LOCAL_SCHEMES


class _SharedPage:
    """One context + one page for the whole session, re-created after a crash.

    A new context per test costs ~0.3 s (new renderer process); re-navigating
    one page costs ~0.05 s, which is what keeps ~150 pages x 4 browser tests
    within a couple of minutes on 2 cores.
    """

    def __init__(self, browser: Browser, site_dir: Path) -> None:
        self.browser, self.site_dir = browser, site_dir
        self.context: BrowserContext | None = None
        self.rec: PageRecord | None = None
        self.crashed = False

    def get(self) -> PageRecord:
        if self.rec is None or self.crashed or self.rec.page.is_closed():
            self.close()
            self._create()
        return self.rec

    def _create(self) -> None:
        ctx = self.browser.new_context(
            viewport=DESKTOP_VIEWPORT,
            reduced_motion="reduce",  # no focus-ring transitions caught half way
            service_workers="block",
        )
        page = ctx.new_page()
        rec = PageRecord(page=page, site_dir=self.site_dir)

        def route(route):
            rec.blocked.append(route.request.url)
            route.abort("blockedbyclient")

        # Non-local URLs are aborted, so nothing leaves the machine even where
        # there is a network. A regex (matched inside the Playwright driver),
        # not a Python callable, so file:// loads skip a round trip to Python.
        ctx.route(_NON_LOCAL_URL, route)

        def on_websocket(ws) -> None:
            # never connected to a server: no connect_to_server() call
            rec.blocked.append(ws.url)

        ctx.route_web_socket(re.compile(".*"), on_websocket)

        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                loc = msg.location or {}
                rec.console_errors.append((msg.text, loc.get("url") or "", loc.get("lineNumber")))

        def on_crash(_page) -> None:
            self.crashed = True

        page.on("request", lambda req: rec.requests.append(req.url))
        page.on("requestfailed", lambda req: rec.failed.append((req.url, req.failure or "failed")))
        page.on("console", on_console)
        page.on("pageerror", lambda err: rec.page_errors.append(f"{err.name}: {err.message}"))
        page.on("crash", on_crash)
        self.context, self.rec, self.crashed = ctx, rec, False

    def close(self) -> None:
        if self.context is not None:
            try:
                self.context.close()
            except Exception:
                pass
        self.context, self.rec = None, None


@pytest.fixture(scope="session")
def _shared_page(browser: Browser, site_dir: Path) -> _SharedPage:
    shared = _SharedPage(browser, site_dir)
    try:
        yield shared
    finally:
        shared.close()


@pytest.fixture
def site_page(_shared_page: _SharedPage) -> PageRecord:
    """The session's page, recording requests, failures, console and page errors.

    Call .open(rel) to load a page; requests to non-local schemes are aborted
    and listed in .blocked.
    """
    rec = _shared_page.get()
    yield rec
    if rec.page.is_closed():
        _shared_page.crashed = True


# Run all tests of one page back to back (page-major order) so that the
# offline, console and axe tests share a single load of each page.
_TEST_ORDER = ["test_stays_offline", "test_no_console_errors", "test_axe", "test_keyboard"]


def pytest_collection_modifyitems(session, config, items) -> None:
    pages = {p: i for i, p in enumerate(config.stash[_PAGES_KEY])}
    here = Path(__file__).parent
    slots = [i for i, item in enumerate(items) if here in Path(item.path).parents]

    def key(item):
        callspec = getattr(item, "callspec", None)
        page = callspec.params.get("page_path") if callspec else None
        name = item.originalname if hasattr(item, "originalname") else item.name
        rank = _TEST_ORDER.index(name) if name in _TEST_ORDER else len(_TEST_ORDER)
        return (pages.get(page, -1), rank)

    ours = sorted((items[i] for i in slots), key=key)
    for i, item in zip(slots, ours):
        items[i] = item
