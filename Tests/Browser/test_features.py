"""Feature checks in a real browser, from file://: offline search, the header search box, the roles filter.

These use real queries against the shipped content (the site `make test` builds from Content/).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

NON_LOCAL = re.compile(r"^(?!(?:file|data|about|blob):)", re.IGNORECASE)


@pytest.fixture()
def page(browser: Browser, site_dir: Path):
    if not (site_dir / "search.html").exists():
        pytest.skip("this site has no search page")
    context = browser.new_context(java_script_enabled=True)
    leaked: list[str] = []

    def block(route):
        leaked.append(route.request.url)
        route.abort()

    context.route(NON_LOCAL, block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert leaked == [], f"requests left file://: {leaked}"
    assert errors == [], f"script errors: {errors}"


def search(page: Page, site_dir: Path, query: str) -> list[tuple[str, str]]:
    page.goto((site_dir / "search.html").as_uri() + "?q=" + query.replace(" ", "+"), wait_until="load")
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    links = page.locator("#search-results li > a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href") or "") for i in range(links.count())]


def test_search_finds_a_role_by_title(page: Page, site_dir: Path) -> None:
    results = search(page, site_dir, "district nurse")
    assert results[0] == ("District nurse", "roles/district-nurse.html")
    assert page.locator("#search-status").inner_text().startswith(f"{len(results)} results for")
    page.locator("#search-results li > a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/roles/district-nurse.html")
    assert page.locator("h1").inner_text() == "District nurse"


def test_search_matches_every_word(page: Page, site_dir: Path) -> None:
    titles = [title for title, _ in search(page, site_dir, "first contact")]
    assert "First contact physiotherapist" in titles
    assert "First contact paramedic" in titles


def test_search_reaches_capability_descriptors(page: Page, site_dir: Path) -> None:
    results = search(page, site_dir, "undifferentiated")
    assert any(href.startswith("capabilities/") for _, href in results), results


def test_search_says_when_nothing_matches(page: Page, site_dir: Path) -> None:
    assert search(page, site_dir, "xyzzyplugh") == []
    assert page.locator("#search-status").inner_text().startswith("No results")


def test_header_search_box_submits_to_the_search_page(page: Page, site_dir: Path) -> None:
    page.goto((site_dir / "roles" / "district-nurse.html").as_uri(), wait_until="load")
    page.fill("#site-search-input", "health visitor")
    page.press("#site-search-input", "Enter")
    page.wait_for_load_state("load")
    assert page.url.split("?")[0].endswith("/search.html")
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    assert page.locator("#search-results li > a").first.inner_text() == "Health visitor"


def test_roles_filter_narrows_the_list(page: Page, site_dir: Path) -> None:
    page.goto((site_dir / "roles.html").as_uri(), wait_until="load")
    total = page.locator("li[data-stage]").count()
    assert page.locator("#role-filter").is_visible()
    page.select_option("#filter-profession", "pharmacy")
    visible = page.locator("li[data-stage]:not([hidden])")
    assert 0 < visible.count() < total
    for i in range(visible.count()):
        assert visible.nth(i).get_attribute("data-profession") == "pharmacy"
    assert page.locator("#filter-status").inner_text() == f"{visible.count()} of {total} roles shown"
    page.fill("#filter-text", "consultant")
    assert [visible.nth(i).locator("a").inner_text() for i in range(visible.count())] == ["Consultant pharmacist"]


def test_roles_page_works_without_javascript(browser: Browser, site_dir: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((site_dir / "roles.html").as_uri(), wait_until="load")
        assert not page.locator("#role-filter").is_visible()
        assert page.locator("li[data-stage]:visible").count() == page.locator("li[data-stage]").count() > 0
    finally:
        context.close()


@pytest.mark.parametrize(
    "narrow_page", ["index.html", "matrix.html", "roles.html", "search.html", "stages/enhanced.html", "roles/district-nurse.html",
                  "routes/district-nursing.html", "professions/nursing.html"])
def test_layout_fits_a_320px_screen(browser: Browser, site_dir: Path, narrow_page: str) -> None:
    if not (site_dir / narrow_page).exists():
        pytest.skip(f"{narrow_page} is not in this site")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto((site_dir / narrow_page).as_uri(), wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{narrow_page} is {width}px wide at 320px: something does not wrap or scroll in its own box"
    finally:
        context.close()
