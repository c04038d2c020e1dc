#!/usr/bin/env bash
# The OpenAPI document checked against the running server (SPEC §10), by schemathesis from the venv `make deps` makes:
# starts .build/debug/runbook-server in a temporary team folder with a token and an open incident, and runs
# `schemathesis run` on /api/v1/openapi.json with the token, bounded in examples and time. It fails on a 5xx, a status
# code or content type the document does not list, or a body that does not match its schema. The server is always
# stopped, and the folder removed.
#
#   Tests/API/check_openapi.sh [SERVER_BINARY]     (default .build/debug/runbook-server)
#   CHECK_OPENAPI_MAX_EXAMPLES (default 20) and CHECK_OPENAPI_MAX_TIME (seconds, default 120) bound the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
server_binary="$(realpath "${1:-$root/.build/debug/runbook-server}")"
schemathesis="$root/.build-browser/venv/bin/schemathesis"
max_examples="${CHECK_OPENAPI_MAX_EXAMPLES:-20}"
max_time="${CHECK_OPENAPI_MAX_TIME:-120}"
[ -x "$server_binary" ] || { echo "check_openapi: no $server_binary; build it with swift build --product runbook-server" >&2; exit 1; }
[ -x "$schemathesis" ] || { echo "check_openapi: no schemathesis in .build-browser/venv; run make deps" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

cd "$work"
cp -R "$root/runbooks" runbooks
export TZ=UTC LANG=C.UTF-8 RUNBOOK_WATCHER=off
# The alert sources enabled (runbooks/alerts.yaml names these variables), so their routes answer as in production:
# a request without the source's secret is a documented 401, not the 503 of a source left switched off.
export RUNBOOK_ALERTMANAGER_SECRET=check-am-secret RUNBOOK_GRAFANA_SECRET=check-grafana-secret RUNBOOK_ALERT_SECRET=check-generic-secret
token="$("$server_binary" token create kim | grep -o 'rbk_[A-Za-z0-9_]*' | head -n 1)"
[ -n "$token" ] || { echo "check_openapi: runbook token create printed no secret" >&2; exit 1; }

"$server_binary" serve --listen 127.0.0.1:0 --no-watcher >server.out 2>server.err &
server_pid=$!
base=""
for _ in $(seq 1 300); do
  base="$(grep -o 'http://127\.0\.0\.1:[0-9]*' server.out | head -n 1 || true)"
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "check_openapi: the server exited:" >&2; cat server.err >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "check_openapi: the server did not say where it listens" >&2; cat server.err >&2; exit 1; }

# The event streams (text/event-stream) never end by design: they are left out here and tested by the Swift suite
# (WebTests) and the browser test.
# An open incident, so that the incident operations have one to find (schemathesis mostly makes up ids).
curl -sS -f -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data '{"runbook": "service-unreachable", "severity": "SEV2"}' "$base/api/v1/incidents"

status=0
"$schemathesis" run "$base/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "$max_examples" --max-time "$max_time" --request-timeout 30 \
  --exclude-path-regex '/events$' \
  --workers 1 --seed 20261127 --no-color --generation-database none \
  || status=$?
if [ "$status" -ne 0 ]; then
  echo "check_openapi: schemathesis found problems (status $status); the server's stderr:" >&2
  tail -n 20 server.err >&2
fi
exit "$status"
