#!/usr/bin/env python3
"""Drives the team server's web page in two headless Chromium sessions (SPEC §10).

Starts the built `.build/debug/runbook-server serve --listen 127.0.0.1:0` in a temporary team folder (the
shipped runbooks plus a small one with Korean titles, a token per person made with `runbook token create`), then:
signs two people in; starts an incident in browser A and finds it in browser B's list; marks a step done in A and
sees it in B's timeline (live, through Server-Sent Events) within a generous wait; a destructive run is refused
until the step id is typed; break-glass refuses an empty reason, then records the override; a hostile note shows as
text; the Korean page has Korean headings; a POST without the CSRF token is refused; no request leaves the server;
the Content-Security-Policy header is there and nothing broke it. The server is killed whatever happens.

Playwright drives Debian's /usr/bin/chromium (it cannot download its own browsers here). Run by `make test`.
"""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import expect, sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("RUNBOOK_BUILD", ROOT / ".build" / "debug"))
CHROMIUM = "/usr/bin/chromium"
# Generous: the latency is a benchmark row, not this test.
LIVE_WAIT_MS = 5000

RUNBOOK = """\
runbook: web-check
title: "웹 점검 (Web check)"
roles:
  oncall: { title: "운영팀 당직자 (on-call operator)" }
  manager: { title: "운영 매니저 (operations manager)" }
escalation:
  tiers:
    - { notify: [oncall], after: 0m }
    - { notify: [manager], after: 10m }
initial: triage
states:
  triage:
    title: "분류 (Triage)"
    deadline: 15m
    steps:
      - { id: check-dashboards, title: "대시보드 확인 (Check the dashboards)" }
      - { id: approve-restart, title: "재시작 승인 (Approve the restart)", approve: { role: manager } }
      - { id: restart, title: "서비스 재시작 (Restart the service)", run: "echo restarted", destructive: true }
    next: verify
  verify:
    title: "확인 (Verify)"
    deadline: 30m
    steps:
      - { id: verify, title: "정상 확인 (Verify it works)" }
    resolves: true
    end: true
"""


class Server:
    """The built server in a temporary team folder; stopped (and killed if it must be) on exit."""

    def __init__(self):
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="runbook-web-"))
        self.process = None
        self.origin = None
        self.tokens = {}

    def __enter__(self):
        shutil.copytree(ROOT / "runbooks", self.folder / "runbooks")
        (self.folder / "runbooks" / "web-check.yaml").write_text(RUNBOOK, encoding="utf-8")
        env = dict(os.environ, RUNBOOK_WATCHER="off", LANG="C.UTF-8", NO_COLOR="1")
        env.pop("RUNBOOK_DB", None)
        env.pop("RUNBOOK_PATH", None)
        for person in ("kim", "choi"):
            made = subprocess.run([str(BUILD / "runbook"), "token", "create", person], cwd=self.folder, env=env,
                                  capture_output=True, text=True, timeout=60, check=True)
            secret = re.search(r"\brbk_[0-9a-f]+_[0-9a-f]{64}\b", made.stdout)
            assert secret, f"no token in: {made.stdout} {made.stderr}"
            self.tokens[person] = secret.group(0)
        self.process = subprocess.Popen([str(BUILD / "runbook-server"), "serve", "--listen", "127.0.0.1:0", "--no-watcher"],
                                        cwd=self.folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the server stopped before serving (exit {self.process.poll()})")
            found = re.search(r"Serving .* on (http://[0-9.]+:[0-9]+)", line)
            if found:
                self.origin = found.group(1)
                return self
        raise AssertionError("the server did not say where it serves within 60 s")

    def __exit__(self, *_):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        return False


def sign_in(browser, server, person, requests, problems):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(f"{person}: console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"{person}: page error: {error}"))
    response = page.goto(server.origin + "/")
    assert page.url == server.origin + "/login", page.url
    assert response.headers.get("content-security-policy", "").startswith("default-src 'none'; script-src 'sha256-"), response.headers
    page.fill("input[name=token]", server.tokens[person])
    page.click("form.login button")
    expect(page.locator("h1")).to_have_text("Open incidents")
    expect(page.locator("header .who")).to_have_text(f"Signed in as {person}")
    return context, page


def flash(page):
    return page.locator("#flash")


def main():
    # SIGTERM (make interrupted, CI cancelling) unwinds like an error, so the server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    requests, problems = [], []
    with Server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context_a, a = sign_in(browser, server, "kim", requests, problems)
            context_b, b = sign_in(browser, server, "choi", requests, problems)

            # A starts an incident; B's list shows it without a reload (the list's stream).
            a.select_option("form.start select[name=runbook]", "web-check")
            a.fill("form.start input[name=title]", "결제 지연 <img src=x onerror=alert(1)>")
            a.fill("form.start input[name=severity]", "SEV2")
            a.click("form.start button")
            expect(a.locator("h1 .title")).to_have_text("결제 지연 <img src=x onerror=alert(1)>")
            incident = a.locator("h1 .id").inner_text()
            link = b.locator(f"#list a[href='/incidents/{incident}']")
            expect(link).to_be_visible(timeout=LIVE_WAIT_MS)
            expect(b.locator("#list .countdown").first).to_contain_text("left")
            link.click()
            expect(b.locator("#live-state")).to_be_visible(timeout=LIVE_WAIT_MS)
            # The stage's 15 minutes tick down against the server's clock.
            expect(b.locator("#stage .countdown")).to_have_text(re.compile(r"^1[45]:[0-5][0-9] left$"))

            # A marks a step done; B's timeline shows it within the wait, and B's step list follows.
            a.fill("#step-check-dashboards form.mark input[name=note]", "error rate 4%")
            a.click("#step-check-dashboards form.mark button:text-is('Done')")
            expect(flash(a)).to_contain_text("Recorded")
            expect(b.locator("#timeline li").last).to_contain_text("check-dashboards", timeout=LIVE_WAIT_MS)
            expect(b.locator("#step-check-dashboards")).to_have_attribute("data-status", "done", timeout=LIVE_WAIT_MS)

            # Break glass: an empty reason is refused by the engine, then the override is recorded.
            a.click("#step-approve-restart form.break-glass button")
            expect(flash(a)).to_have_class(re.compile(r"\brefused\b"))
            a.fill("#step-approve-restart form.break-glass input[name=reason]", "manager unreachable at night")
            a.click("#step-approve-restart form.break-glass button")
            expect(flash(a)).not_to_have_class(re.compile(r"\brefused\b"))
            expect(a.locator("#step-approve-restart")).to_have_attribute("data-status", "done")
            expect(b.locator("#timeline")).to_contain_text("manager unreachable at night", timeout=LIVE_WAIT_MS)

            # A destructive run is refused until the step id is typed.
            a.click("#step-restart form.run button")
            expect(flash(a)).to_have_class(re.compile(r"\brefused\b"))
            expect(flash(a)).to_contain_text("restart")
            expect(a.locator("#step-restart")).to_have_attribute("data-status", "pending")
            a.fill("#step-restart form.run input[name=confirm]", "restart")
            a.click("#step-restart form.run button")
            expect(flash(a)).to_contain_text("Ran `restart`: succeeded.")
            expect(b.locator("#stage")).to_contain_text("Verify", timeout=LIVE_WAIT_MS)

            # A hostile note is shown as text, live on B and on A's reloaded page; nothing runs.
            hostile = "<script>window.pwned=1</script> \x1b[31mred"
            a.fill("form[action$='/notes'] input[name=text]", hostile)
            a.click("form[action$='/notes'] button")
            expect(a.locator("#timeline")).to_contain_text("<script>window.pwned=1</script>")
            expect(b.locator("#timeline")).to_contain_text("<script>window.pwned=1</script>", timeout=LIVE_WAIT_MS)
            for page in (a, b):
                assert page.evaluate("window.pwned") is None
                assert page.evaluate("document.querySelectorAll('#timeline script, h1 img').length") == 0

            # Korean: the choice is kept in a cookie.
            a.goto(server.origin + f"/incidents/{incident}?lang=ko")
            expect(a.locator("h2").filter(has_text="타임라인")).to_have_count(1)
            a.goto(server.origin + "/")
            expect(a.locator("h1")).to_have_text("진행 중인 장애")
            a.goto(server.origin + "/?lang=en")

            # A POST without the session's CSRF token is refused, with a page that says why.
            refused = a.request.post(server.origin + f"/incidents/{incident}/notes", form={"text": "no token"})
            assert refused.status == 403, refused.status
            assert "CSRF" in refused.text()
            forged = a.request.post(server.origin + f"/incidents/{incident}/notes", form={"text": "wrong token", "csrf": "0" * 64})
            assert forged.status == 403, forged.status

            # The post-mortem opens from the page.
            a.goto(server.origin + f"/incidents/{incident}")
            with a.expect_navigation():
                a.click("a[href$='/report']")
            expect(a.locator("body")).to_contain_text("manager unreachable at night")

            outside = [url for url in requests if not url.startswith(server.origin + "/")]
            assert not outside, f"requests left the server: {outside}"
            assert requests, "no requests were seen (the check would pass vacuously)"
            csp = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
            assert not csp, f"the page broke its own policy: {csp}"
            context_a.close()
            context_b.close()
        finally:
            browser.close()
    print(f"test_server.py: web page checked in two browsers ({len(requests)} requests, all to the server) "
          f"in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
