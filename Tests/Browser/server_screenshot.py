#!/usr/bin/env python3
"""Takes docs/server-incident-page.png, the README's picture of the web page: a scripted incident of a runbook with
Korean titles, a few actions through the API, then the incident page in Korean in headless Chromium.

Uses the same temporary team folder and built server as test_server.py. Run: `make server-screenshot`.
"""
import json
import pathlib
import sys
import urllib.request

from playwright.sync_api import sync_playwright

from test_server import CHROMIUM, ROOT, Server, sign_in

OUTPUT = ROOT / "docs" / "server-incident-page.png"


def call(server, person, path, body=None):
    request = urllib.request.Request(server.origin + path, method="POST", data=json.dumps(body or {}).encode(),
                                     headers={"Authorization": f"Bearer {server.tokens[person]}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main():
    with Server() as server, sync_playwright() as playwright:
        started = call(server, "kim", "/api/v1/incidents", {"runbook": "web-check", "title": "결제 지연 (Payment delays)", "severity": "SEV2"})
        incident = started["incident"]["id"]
        call(server, "kim", f"/api/v1/incidents/{incident}/ack")
        call(server, "kim", f"/api/v1/incidents/{incident}/notes", {"text": "PG사 응답 지연 확인, 오류율 4% (PG responses slow, 4% errors)"})
        call(server, "kim", f"/api/v1/incidents/{incident}/steps/check-dashboards/done", {"note": "결제 API p99 8초"})
        call(server, "choi", f"/api/v1/incidents/{incident}/steps/approve-restart/approve")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context, page = sign_in(browser, server, "kim", [], [])
            page.set_viewport_size({"width": 1100, "height": 900})
            page.goto(server.origin + f"/incidents/{incident}?lang=ko")
            page.wait_for_selector("#live-state:not([hidden])")
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(OUTPUT), full_page=True)
            context.close()
        finally:
            browser.close()
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
