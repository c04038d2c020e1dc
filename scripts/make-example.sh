#!/usr/bin/env bash
# Renders docs/postmortem-example.{md,html,png}: a scripted drill of runbooks/security-incident.yaml run by
# the built binary, whose report shows the findings a post-mortem must carry: the detect stage's missed
# 5m deadline, a failed check (the health check) skipped, a failed command, and a break-glass approval.
# The HTML is screenshot by headless Chromium (Debian's /usr/bin/chromium, driven by Playwright from
# .build-browser/venv; `make deps` installs both) at a fixed 1000 px wide viewport.
#
# The drill starts at 2026-11-26 10:00 KST (RUNBOOK_NOW; a drill may start at any time) and runs at
# --speed 1, its time moved on by `wait`; the milliseconds a command takes to run show in the times.
# The drill runs its command steps (--run-commands) with stand-ins for `vercel` and `curl` first on PATH,
# which fail as they do on a laptop without access to production, so the example needs no network.
#
# Usage: scripts/make-example.sh [RUNBOOK_BINARY]   (default .build/debug/runbook; `make example` builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runbook=$(realpath "${1:-.build/debug/runbook}")
python=$root/.build-browser/venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin"
cat > "$work/bin/vercel" <<'STUB'
#!/bin/sh
echo "Error: No existing credentials found. Please run \`vercel login\` or pass \"--token\"" >&2
exit 1
STUB
cat > "$work/bin/curl" <<'STUB'
#!/bin/sh
echo "curl: (6) Could not resolve host: erp.duly.co.kr" >&2
exit 6
STUB
chmod +x "$work/bin/vercel" "$work/bin/curl"

# No background watcher: the session delivers its own pages, and nothing outlives the temporary folder.
export RUNBOOK_WATCHER=off TZ=Asia/Seoul LANG=C.UTF-8 RUNBOOK_DB="$work/incidents.db" RUNBOOK_PATH="$root/runbooks" RUNBOOK_USER=kim
export PATH="$work/bin:$PATH" NO_COLOR=1
cd "$work"
# The guided session, one action a line (README "Guided mode"): the alert confirmed, severity judged 7
# minutes in (past detect's 5m), evidence collection failing and skipped, the response approved by
# breaking the glass (the manager is unreachable), the health check failing and skipped.
actions=(
  "ack"
  "done Sentry 알림: 로그인 실패 분당 40건"
  "wait 7m"
  "input SEV1"
  "done 방화벽에서 공격 IP 차단"
  "input erp-7f3k2.vercel.app"
  "run" "y"
  "skip 로그인 정보 없음: Vercel 대시보드에서 로그를 내려받음"
  "wait 2m"
  "done 대시보드에서 내보냄"
  "done 최근 1시간 에러 보관"
  "escalate 증거 보존 명령 실패, 매니저 확인 필요"
  "wait 8m"
  "done 유출된 API 키로 무차별 로그인 시도 확인"
  "input users 테이블 (약 1,200명)"
  "done API 키 교체 후 강제 로그아웃"
  "break-glass 매니저 연락 두절, 키 유출 확산 우려"
  "wait 25m"
  "done 키 교체, 세션 만료"
  "run" "y"
  "skip 헬스 체크 실패(사내망 DNS): 브라우저로 수동 확인"
  "note impact: 10:00–10:42 로그인 시도 급증, 사용자 영향 없음 (차단 확인)"
  "note root-cause: 유출된 API 키로 무차별 로그인 시도"
  "note action: 모든 API 키 교체 (owner: park)"
  "note went-well: 10분 안에 공격 IP 차단"
  "note went-wrong: 심각도 판단이 탐지 기한(5분)을 넘김"
  "wait 2h"
  "done 보고서 초안 작성"
  "done 키 순환 자동화 일정 수립"
  "quit"
)
# The session exits 1 because two commands failed; what matters is that the drill ran to its close.
printf '%s\n' "${actions[@]}" | RUNBOOK_NOW=2026-11-26T01:00:00Z "$runbook" drill security-incident --speed 1 --run-commands > drill.log 2>&1 || true
incident=$(grep -o 'INC-[0-9]*-[0-9]*' drill.log | head -n 1)
json=$([ -z "$incident" ] || "$runbook" report "$incident" --format json)
if ! grep -q '"status" *: *"final"' <<<"$json"; then
  cat drill.log >&2
  echo "make-example: the drill did not run to its close" >&2
  exit 1
fi
"$runbook" report "$incident" --format md -o "$root/docs/postmortem-example.md" --force
"$runbook" report "$incident" --format html -o "$root/docs/postmortem-example.html" --force

# The monthly review of the same database: the drill beside three real incidents of the month, back-dated.
for times in "2026-11-03T01:00:00Z 2026-11-03T01:03:00Z 2026-11-03T02:10:00Z" \
             "2026-11-12T05:30:00Z 2026-11-12T05:41:00Z 2026-11-12T08:05:00Z" \
             "2026-11-20T10:00:00Z 2026-11-20T10:02:00Z 2026-11-20T11:00:00Z"; do
  read -r opened acknowledged resolved <<<"$times"
  id=$(RUNBOOK_NOW=$opened "$runbook" start security-incident --no-guide --as kim)
  RUNBOOK_NOW=$acknowledged "$runbook" ack "$id" --as kim > /dev/null
  RUNBOOK_NOW=$resolved "$runbook" resolve "$id" --note "restored" --as kim > /dev/null
done
RUNBOOK_NOW=2026-11-27T00:00:00Z "$runbook" stats --since 30d --format md > "$root/docs/stats-example.md"
RUNBOOK_NOW=2026-11-27T00:00:00Z "$runbook" stats --since 30d --format html > "$root/docs/stats-example.html"

# The screenshot: the page from its top to the end of the timeline picture, 1000 px wide.
"$python" - "$root/docs/postmortem-example.html" "$root/docs/postmortem-example.png" <<'PY'
import pathlib, sys
from playwright.sync_api import sync_playwright
html, png = sys.argv[1], sys.argv[2]
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1000, "height": 1500})
    page.goto(pathlib.Path(html).resolve().as_uri())
    page.evaluate("document.fonts.ready")
    bottom = page.evaluate("(() => { const s = document.querySelector('svg'); return s ? s.getBoundingClientRect().bottom + window.scrollY : 1500; })()")
    page.screenshot(path=png, full_page=True, clip={"x": 0, "y": 0, "width": 1000, "height": max(600, min(3000, int(bottom) + 24))})
    browser.close()
PY
echo "make-example: $incident -> docs/postmortem-example.{md,html,png}, docs/stats-example.{md,html}"
