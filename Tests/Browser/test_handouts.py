"""Handouts: each kind, copied alone into an empty folder, opens with no other request, passes axe and the
Nu HTML checker; a route handout prints to the expected number of A4 pages.

The first page of the printed route handout is kept as .build/handout-route-page-1.png for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from test_site import AXE_OPTIONS, VNU_20_6_30_FALSE_POSITIVES, _vnu_jar, format_axe_violations

# Pages of the printed route handout, for the shipped content; a layout change that spills onto more pages
# (or squeezes onto fewer) fails here. Update it when the route's content changes on purpose.
EXPECTED_ROUTE_PAGES = {"route-district-nursing.html": 3}
A4_POINTS = (595, 842)
REPO = Path(__file__).resolve().parents[2]


def handout_samples(site_dir: Path) -> dict[str, Path]:
    folder = site_dir / "handouts"
    if not folder.is_dir():
        pytest.skip("this site has no handouts")
    samples = {"framework": folder / "framework.html"}
    for kind in ["stage", "profession", "role", "route"]:
        files = sorted(folder.glob(f"{kind}-*.html"))
        assert files, f"no {kind} handout"
        preferred = folder / "route-district-nursing.html"
        samples[kind] = preferred if kind == "route" and preferred.exists() else files[0]
    return samples


@pytest.fixture(scope="module")
def alone(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sample handout copied into a folder of its own, holding nothing else."""
    copies = {}
    for kind, source in handout_samples(site_dir).items():
        folder = tmp_path_factory.mktemp(f"handout-{kind}")
        copies[kind] = Path(shutil.copy(source, folder / source.name))
    return copies


@pytest.mark.parametrize("kind", ["framework", "stage", "profession", "role", "route"])
def test_handout_opens_alone_and_passes_axe(browser: Browser, alone: dict[str, Path], kind: str) -> None:
    path = alone[kind]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        failed: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri(), wait_until="load")
        others = [url for url in requests if url != path.as_uri() and not url.startswith("data:")]
        assert others == [], f"{path.name} asked for other files: {others}"
        assert failed == [] and errors == [], f"{path.name}: failed {failed}, errors {errors}"
        assert page.locator("script").count() == 0
        assert page.locator("link[rel=stylesheet]").count() == 0
        header = page.locator(".handout-header").inner_text()
        assert "Edition" in header and "updated" in header
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        assert violations == [], f"{path.name}:\n{format_axe_violations(violations)}"
    finally:
        context.close()


def test_handouts_pass_the_nu_html_checker(alone: dict[str, Path], tmp_path: Path) -> None:
    for path in alone.values():
        shutil.copy(path, tmp_path / path.name)
    jar = _vnu_jar()
    command = ["java", "-jar", str(jar), "--format", "json", "--stdout", "--errors-only", "--also-check-css"]
    proc = subprocess.run(command + sorted(str(p) for p in tmp_path.iterdir()), capture_output=True, text=True, check=False)
    messages = json.loads(proc.stdout)["messages"] if proc.stdout.strip() else []
    import re

    reported = []
    for message in messages:
        text = re.sub("[\u201c\u201d\u2018\u2019']", '"', message.get("message", ""))
        if any(pattern.search(text) for pattern in VNU_20_6_30_FALSE_POSITIVES):
            continue
        reported.append(f"{Path(message.get('url', '')).name}:{message.get('lastLine')}: {message.get('message')}")
    assert reported == []


def test_route_handout_prints_to_the_expected_a4_pages(browser: Browser, alone: dict[str, Path], tmp_path: Path) -> None:
    path = alone["route"]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        pdf = tmp_path / "route.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    width, height = (round(float(v)) for v in fields["Page size"].split("pts")[0].split("x"))
    assert (width, height) == A4_POINTS, fields["Page size"]
    pages = int(fields["Pages"])
    out = REPO / ".build" / "handout-route-page"
    out.parent.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)], check=True)
    expected = EXPECTED_ROUTE_PAGES.get(path.name)
    if expected is None:
        assert pages >= 1
    else:
        assert pages == expected, f"{path.name} printed to {pages} A4 pages, expected {expected}"


# Every element's computed style, and its ::before and ::after, as one short hash each (the full text of ~350
# properties per element would be megabytes per page); `detail` gives one element's properties, for a message.
_STYLE_HASHES_JS = """
() => {
  const hash = (text) => { let h = 2166136261; for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; } return h; };
  const out = [];
  for (const element of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      let text = '';
      for (let i = 0; i < style.length; i++) text += style[i] + ':' + style.getPropertyValue(style[i]) + ';';
      out.push(hash(text));
    }
  }
  return out;
}
"""
_STYLE_DETAIL_JS = """
([index, pseudo]) => {
  const element = document.querySelectorAll('*')[index];
  const style = getComputedStyle(element, pseudo);
  const properties = {};
  for (let i = 0; i < style.length; i++) properties[style[i]] = style.getPropertyValue(style[i]);
  return [element.outerHTML.slice(0, 120), properties];
}
"""


@pytest.mark.parametrize("kind", ["stage", "profession", "role", "route"])
def test_handout_stylesheet_keeps_every_rule_that_applies(
    browser: Browser, site_dir: Path, alone: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    """A handout inlines only the rules that can apply to it (InlineStylesheet). Every element must get the same
    computed style, on screen at two widths and in print, as with the whole of site.css and handout.css."""
    import re

    path = alone[kind]
    html = path.read_text(encoding="utf-8")
    whole_css = "\n".join((site_dir / "assets" / name).read_text(encoding="utf-8") for name in ["site.css", "handout.css"])
    whole_css = whole_css.replace("</", "<\\/")
    pruned_css = re.search(r"<style>\n(.*?)\n</style>", html, flags=re.S)
    assert pruned_css, f"{path.name} has no <style> element"
    assert len(pruned_css.group(1)) < len(whole_css), f"{path.name}: the stylesheet was not cut down"
    whole_html = html.replace(pruned_css.group(0), "<style>\n" + whole_css + "\n</style>", 1)
    whole_path = tmp_path / path.name
    whole_path.write_text(whole_html, encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        for media, width in [("screen", 1280), ("screen", 360), ("print", 794)]:
            page.set_viewport_size({"width": width, "height": 900})
            page.emulate_media(media=media)
            page.goto(path.as_uri(), wait_until="load")
            pruned = page.evaluate(_STYLE_HASHES_JS)
            page.goto(whole_path.as_uri(), wait_until="load")
            whole = page.evaluate(_STYLE_HASHES_JS)
            assert len(pruned) == len(whole) and len(pruned) > 100
            differing = [index for index, (a, b) in enumerate(zip(pruned, whole)) if a != b]
            if differing:
                index = differing[0]
                pseudo = [None, "::before", "::after"][index % 3]
                element, expected = page.evaluate(_STYLE_DETAIL_JS, [index // 3, pseudo])
                page.goto(path.as_uri(), wait_until="load")
                _, got = page.evaluate(_STYLE_DETAIL_JS, [index // 3, pseudo])
                changed = {name: (got.get(name), value) for name, value in expected.items() if got.get(name) != value}
                pytest.fail(f"{path.name} ({media}, {width} px): {len(differing)} styles differ; first {element} {pseudo}: {changed}")
    finally:
        context.close()
