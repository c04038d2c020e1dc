#!/usr/bin/env bash
# Installs the system libraries runbook builds against (and the sqlite3 shell the benchmarks compare
# with) when they are missing. Debian/Ubuntu; runs apt-get as root, or through sudo.
set -euo pipefail
# libstdc++-12-dev: `make fuzz` links libFuzzer, which is C++ (Debian 12's name; the Swift toolchain's ASan and
# libFuzzer runtimes come with it).
packages=(libyaml-dev libsqlite3-dev sqlite3 curl libstdc++-12-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${missing[*]} ..." >&2
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
