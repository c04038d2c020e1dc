#!/usr/bin/env bash
# Installs the system libraries runbook builds against (and the sqlite3 shell the benchmarks compare
# with) when they are missing, and what the browser test needs: Debian's chromium with fonts-noto-cjk for
# Korean, and Playwright from PyPI in a virtual environment (.build-browser/venv) that drives that chromium
# (Playwright cannot download its own browsers here). Debian/Ubuntu; runs apt-get as root, or through sudo.
set -euo pipefail
# libstdc++-12-dev: `make fuzz` links libFuzzer, which is C++ (Debian 12's name; the Swift toolchain's ASan and
# libFuzzer runtimes come with it).
# chromium, fonts-noto-cjk: the headless-browser test of the HTML report (Tests/Browser); python3-venv for its venv.
# tzdata: the zone files that schedules, maintenance windows and on-call rotations are computed in.
# wrk: the server benchmark's saturation row (loopback only).
# libpq-dev: the PostgreSQL store's client library (the server binary links it); postgresql: the throwaway cluster the
# tests and benchmarks of that store run against (scripts/postgres.sh; Debian's own cluster is not used).
# man-db: `man -l`, with which the packaging check (Tests/Install) renders the generated man page (col comes with it);
# dpkg-dev: dpkg-shlibdeps, which computes the .deb's Depends (`make deb`); zsh, fish: the packaging check parses the
# completion scripts generated for them.
packages=(libyaml-dev libsqlite3-dev sqlite3 curl libstdc++-12-dev chromium fonts-noto-cjk python3-venv tzdata wrk libpq-dev postgresql
  man-db dpkg-dev zsh fish)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..." >&2
  run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  export DEBIAN_FRONTEND=noninteractive
  run apt-get update -qq
  run apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Playwright (the Python package only; it drives /usr/bin/chromium) and schemathesis (the OpenAPI check of the
# running server, Tests/API) in a venv beside the build folders, so nothing is installed into the system's Python.
venv="$(dirname "$0")/../.build-browser/venv"
if ! "$venv/bin/python" -c "import playwright" 2>/dev/null; then
  echo "Installing Playwright into .build-browser/venv ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q playwright
fi
if ! "$venv/bin/python" -c "import schemathesis" 2>/dev/null; then
  echo "Installing schemathesis into .build-browser/venv ..." >&2
  "$venv/bin/pip" install -q "schemathesis>=4,<5"
fi
