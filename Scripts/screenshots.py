#!/usr/bin/env python3
"""Full-page PNG screenshots of pages of a generated site, at phone and desktop widths.

Usage:
    Scripts/screenshots.py SITE_DIR OUT_DIR PAGE [PAGE ...]
    Scripts/screenshots.py SITE_DIR OUT_DIR --all

PAGE is a path relative to SITE_DIR (e.g. index.html, roles/engineer.html).
For each page it writes OUT_DIR/<page>--phone.png (375x812, mobile emulation)
and OUT_DIR/<page>--desktop.png (1280x900), where <page> is the relative path
without ".html" and with "/" replaced by "__" (roles/engineer.html ->
roles__engineer--phone.png).

Uses the system chromium (env CHROMIUM, default /usr/bin/chromium) through
Playwright from .venv-test (Scripts/install-test-deps.sh); if Playwright is
not importable it re-runs itself with .venv-test/bin/python. Requests that
would leave file:// are blocked, so screenshots show what offline users see.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv-test" / "bin" / "python"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # not in the test venv: re-exec with it
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    sys.exit("playwright is not installed: run Scripts/install-test-deps.sh first")

VIEWPORTS = {
    # name: (context options)
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
NON_LOCAL_URL = re.compile(r"^(?!(?:about|blob|data|file):)", re.IGNORECASE)


def shot_name(rel: str, size: str) -> str:
    stem = rel[:-5] if rel.endswith(".html") else rel
    return f"{stem.replace('/', '__')}--{size}.png"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("pages", nargs="*", help="pages relative to SITE_DIR")
    ap.add_argument("--all", action="store_true", help="every *.html file in SITE_DIR")
    ap.add_argument("--sizes", default="phone,desktop", help="comma list of: " + ", ".join(VIEWPORTS))
    ap.add_argument("--color-scheme", choices=["light", "dark"], default="light")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="device scale factor (default 1: PNGs are 375 and 1280 px wide)")
    args = ap.parse_args(argv)

    site = args.site_dir.resolve()
    if not site.is_dir():
        ap.error(f"not a directory: {args.site_dir}")
    pages = list(args.pages)
    if args.all:
        pages += sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    if not pages:
        ap.error("give at least one page, or --all")
    missing = [p for p in pages if not (site / p).is_file()]
    if missing:
        ap.error("not found in SITE_DIR: " + ", ".join(missing))
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in VIEWPORTS]
    if unknown:
        ap.error("unknown size(s): " + ", ".join(unknown))
    args.out_dir.mkdir(parents=True, exist_ok=True)

    exe = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    launch_args = ["--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        launch_args.append("--no-sandbox")

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=launch_args)
        try:
            for size in sizes:
                opts = dict(VIEWPORTS[size], device_scale_factor=args.scale)
                ctx = browser.new_context(color_scheme=args.color_scheme, reduced_motion="reduce", **opts)
                ctx.route(NON_LOCAL_URL, lambda route: (blocked.append(route.request.url), route.abort())[1])
                page = ctx.new_page()
                for rel in pages:
                    page.goto((site / rel).as_uri(), wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    out = args.out_dir / shot_name(rel, size)
                    page.screenshot(path=str(out), full_page=True, animations="disabled")
                    print(out)
                ctx.close()
        finally:
            browser.close()
    for url in sorted(set(blocked)):
        print(f"warning: blocked non-local request {url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
