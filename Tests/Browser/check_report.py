#!/usr/bin/env python3
"""Opens rendered post-mortem HTML reports in headless Chromium and checks their layout in the page.

For each file given, at each viewport width: every <text> of every SVG has its bounding box inside its
SVG's box (no label cut off), and no table cell's content is wider than the cell (scrollWidth <= clientWidth).
Korean needs fonts-noto-cjk. Run by `make test`; exits 1 on the first file with a problem, printing them all.

Playwright drives Debian's /usr/bin/chromium (it cannot download its own browsers here).
"""
import pathlib
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1280, 800)
# Sub-pixel rounding of scaled SVG text.
SLACK = 0.5

CHECK = """(slack) => {
  const problems = [];
  const svgs = [...document.querySelectorAll('svg')];
  for (const [s, svg] of svgs.entries()) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.width === 0) { problems.push(`svg ${s}: text "${text.textContent}" has no width (font missing?)`); continue; }
      if (r.left < box.left - slack || r.right > box.right + slack || r.top < box.top - slack || r.bottom > box.bottom + slack) {
        problems.push(`svg ${s}: text "${text.textContent}" at [${r.left.toFixed(1)}, ${r.right.toFixed(1)}] x `
          + `[${r.top.toFixed(1)}, ${r.bottom.toFixed(1)}] outside the svg [${box.left.toFixed(1)}, ${box.right.toFixed(1)}] x `
          + `[${box.top.toFixed(1)}, ${box.bottom.toFixed(1)}]`);
      }
    }
  }
  const cells = [...document.querySelectorAll('td, th')];
  for (const cell of cells) {
    if (cell.scrollWidth > cell.clientWidth) {
      problems.push(`cell "${cell.textContent.slice(0, 60)}" overflows: content ${cell.scrollWidth}px in ${cell.clientWidth}px`);
    }
  }
  return {problems, svgs: svgs.length, texts: svgs.reduce((n, s) => n + s.querySelectorAll('text').length, 0), cells: cells.length};
}"""


def main(paths):
    if not paths:
        print("usage: check_report.py REPORT.html ...", file=sys.stderr)
        return 2
    started = time.monotonic()
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for path in paths:
                url = pathlib.Path(path).resolve().as_uri()
                for width in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(url)
                    page.evaluate("document.fonts.ready")
                    result = page.evaluate(CHECK, SLACK)
                    page.close()
                    # A check that found nothing to look at proves nothing.
                    if result["svgs"] == 0 or result["texts"] == 0 or result["cells"] == 0:
                        result["problems"].append(f"nothing to check: {result['svgs']} svg, {result['texts']} texts, {result['cells']} cells")
                    for problem in result["problems"]:
                        print(f"{path} at {width}px: {problem}", file=sys.stderr)
                    failed = failed or bool(result["problems"])
                    print(f"check_report: {path} at {width}px: {result['texts']} svg texts, {result['cells']} cells, "
                          f"{len(result['problems'])} problems")
        finally:
            browser.close()
    print(f"check_report: {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
