#!/usr/bin/env bash
# The packaging check (issue 15): `make install-files`, `make uninstall` and `make deb-files` against built release
# binaries, then the .deb installed, used and removed with dpkg. One line per check; the first failure stops it with
# what was expected. Nothing is skipped quietly: what cannot be checked here says so on its own line.
#
#   Tests/Install/check_install.sh BINDIR          (BINDIR: the folder `make install` builds into, .build/release)
#
# It needs what `make install` builds in BINDIR (runbook, runbook-server, generate-manual; GENERATE_MANUAL=PATH names
# another generate-manual), root (dpkg -i; CI runs as root), and no `runbook` package installed (it is not
# overwritten). It builds nothing itself. Then the README's "Install on an ops host" end to end: `runbook init DIR
# --group ops`, `runbook list` inside it, `runbook doctor`, and the watcher started as runbook-watch.service starts it.
#
# It leaves the machine as it found it (the package purged, the temporary folders removed, also on failure), except
# for the `ops` group that the package's postinst creates: the package never removes it either (a team directory's
# files belong to it), so the check leaves it in place. .build/deb (the staging folder and the .deb) stays, as after
# `make deb`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -eq 1 ] || { echo "usage: Tests/Install/check_install.sh BINDIR   (the folder make install builds into: .build/release)" >&2; exit 64; }
built="$(realpath "$1")"
began=$(date +%s)

ok() { echo "ok    $*"; }
note() { echo "note  $*"; }
fail() { echo "check_install: FAILED: $*" >&2; exit 1; }
# Fails when the two listings differ, showing the difference (expected first).
same_list() { # NAME EXPECTED_FILE ACTUAL_FILE
  diff -u --label expected --label actual "$2" "$3" >&2 || fail "$1 differs from the expected list (diff above)"
}

for binary in runbook runbook-server; do
  [ -x "$built/$binary" ] || fail "no $built/$binary: run make install (it builds into .build/release)"
done
# The commands run below must not find a team directory or a server of the caller's.
unset RUNBOOK_HOME RUNBOOK_DB RUNBOOK_PATH RUNBOOK_GROUP RUNBOOK_SERVER RUNBOOK_TOKEN RUNBOOK_NOW
export RUNBOOK_WATCHER=off LANG=C.UTF-8 TZ=UTC

if status="$(dpkg-query -W -f='${Status}' runbook 2>/dev/null)" && [ "$status" != "unknown ok not-installed" ]; then
  fail "a runbook package is already on this machine (dpkg status: $status); this check installs and purges its own, so remove that one first (dpkg -P runbook)"
fi

tmp="$(mktemp -d /tmp/check_install.XXXXXX)"
deb_installed=0
server_pid=""
watch_pid=""
cleanup() {
  if [ -n "$watch_pid" ]; then kill -TERM "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [ "$deb_installed" = 1 ]; then
    echo "check_install: purging the runbook package it installed" >&2
    dpkg -P runbook >/dev/null 2>&1 || echo "check_install: dpkg -P runbook failed; purge it by hand" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_make() { # TARGET VARIABLE=VALUE...
  local log="$tmp/make.log"
  (cd "$root" && make --no-print-directory "$@" BUILT="$built") >"$log" 2>&1 || { cat "$log" >&2; fail "make $* failed (its output above)"; }
}

# The installed tree, as a sorted list of paths under PREFIX.
expected_files() { # PREFIX
  {
    printf '%s\n' bin/runbook bin/runbook-server \
      share/bash-completion/completions/runbook share/zsh/site-functions/_runbook \
      share/fish/vendor_completions.d/runbook.fish share/man/man1/runbook.1.gz \
      lib/systemd/system/runbook-watch.service lib/systemd/system/runbook-serve.service
    # Every file of the repository's runbooks/ folder is shipped.
    find "$root/runbooks" -maxdepth 1 -type f -printf 'share/runbook/runbooks/%f\n'
  } | sed "s|^|$1/|" | LC_ALL=C sort
}
installed_files() { # DIR
  find "$1" \( -type f -o -type l \) | LC_ALL=C sort
}

version="$("$built/runbook" --version)"
[ -n "$version" ] || fail "$built/runbook --version printed nothing"
[ "$(find "$root/runbooks" -maxdepth 1 -type f | wc -l)" -gt 0 ] || fail "no files in $root/runbooks"

# ---------------------------------------------------------------------------------------------------- make install
prefix="$tmp/prefix"
t0=$(date +%s%N)
run_make install-files PREFIX="$prefix" DESTDIR=
ok "make install-files PREFIX=$prefix ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"

expected_files "$prefix" > "$tmp/expected"
installed_files "$prefix" > "$tmp/actual"
same_list "the files under PREFIX" "$tmp/expected" "$tmp/actual"
ok "installed exactly the $(wc -l < "$tmp/expected") expected files (binaries, $(find "$root/runbooks" -maxdepth 1 -type f | wc -l) runbooks, 3 completions, man page, 2 units)"

for binary in runbook runbook-server; do
  file="$prefix/bin/$binary"
  [ "$(stat -c %a "$file")" = 755 ] || fail "$file has mode $(stat -c %a "$file"), expected 755"
  if readelf -S "$file" | grep -q '\.symtab'; then fail "$file is not stripped (it has a .symtab)"; fi
  [ "$("$file" --version)" = "$version" ] || fail "$file --version printed '$("$file" --version)', expected '$version'"
done
ok "bin/runbook and bin/runbook-server: mode 755, stripped, --version prints $version"

for file in "$root"/runbooks/*; do
  [ -f "$file" ] || continue
  installed="$prefix/share/runbook/runbooks/$(basename "$file")"
  cmp -s "$file" "$installed" || fail "$installed differs from $file"
  [ "$(stat -c %a "$installed")" = 644 ] || fail "$installed has mode $(stat -c %a "$installed"), expected 644"
done
ok "share/runbook/runbooks: the repository's runbooks, byte for byte, mode 644"

(cd "$tmp" && "$prefix/bin/runbook" list --runbooks "$prefix/share/runbook/runbooks") > "$tmp/list.out" 2>&1 \
  || { cat "$tmp/list.out" >&2; fail "the installed runbook cannot list the installed runbooks"; }
grep -q 'security-incident' "$tmp/list.out" || { cat "$tmp/list.out" >&2; fail "runbook list shows no security-incident"; }
ok "the stripped runbook lists the installed runbooks (runbook list --runbooks PREFIX/share/runbook/runbooks)"

# `runbook serve` runs runbook-server from beside runbook: the stripped pair answers /healthz.
mkdir "$tmp/serve"
(cd "$tmp/serve" && exec "$prefix/bin/runbook" serve --db "$tmp/serve/incidents.db" --runbooks "$prefix/share/runbook/runbooks" \
  --listen 127.0.0.1:0 --no-watcher) > "$tmp/serve/out" 2> "$tmp/serve/err" &
server_pid=$!
base=""
for _ in $(seq 1 300); do
  base="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve/out" | head -n 1 || true)"
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve/err" >&2; fail "the installed runbook serve exited"; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$tmp/serve/err" >&2; fail "the installed runbook serve did not say where it listens"; }
curl -sS -f -o /dev/null "$base/healthz" || fail "the installed server does not answer $base/healthz"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the installed server did not stop cleanly on SIGTERM (status $?)"
server_pid=""
ok "the installed runbook serve runs the installed runbook-server: /healthz answers, SIGTERM stops it"

# Completions.
bash_completion="$prefix/share/bash-completion/completions/runbook"
bash -n "$bash_completion" || fail "$bash_completion is not valid bash"
registered="$(bash -c 'source "$1" && complete -p runbook' _ "$bash_completion")" || fail "sourcing $bash_completion registers no completion for runbook"
[[ "$registered" =~ ^complete\ .*\ runbook$ ]] || fail "sourcing $bash_completion registers '$registered'"
ok "bash completion: valid bash, registers '$registered'"
zsh_completion="$prefix/share/zsh/site-functions/_runbook"
[ "$(head -n 1 "$zsh_completion")" = "#compdef runbook" ] || fail "$zsh_completion does not start with #compdef runbook"
if command -v zsh >/dev/null; then
  zsh -n "$zsh_completion" || fail "$zsh_completion is not valid zsh"
  ok "zsh completion: starts with #compdef runbook, valid zsh"
else
  ok "zsh completion: starts with #compdef runbook"
  fail "zsh is not installed (make deps installs it): the zsh completion's syntax cannot be checked"
fi
fish_completion="$prefix/share/fish/vendor_completions.d/runbook.fish"
grep -Eq "^complete -c '?runbook'? " "$fish_completion" || fail "$fish_completion has no 'complete -c runbook' line"
if command -v fish >/dev/null; then
  fish -n "$fish_completion" || fail "$fish_completion is not valid fish"
  ok "fish completion: completes runbook (complete -c 'runbook'), valid fish"
else
  ok "fish completion: completes runbook (complete -c 'runbook')"
  fail "fish is not installed (make deps installs it): the fish completion's syntax cannot be checked"
fi

# The man page renders without a groff warning and documents every subcommand of `runbook --help`.
page="$prefix/share/man/man1/runbook.1.gz"
gzip -t "$page" || fail "$page is not gzip"
MANWIDTH=80 man --warnings -l "$page" 2> "$tmp/man.err" | col -b > "$tmp/man.txt" || fail "man -l $page failed"
[ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err" >&2; fail "man -l $page: groff warned (above)"; }
grep -q '^NAME' "$tmp/man.txt" && grep -q 'runbook' "$tmp/man.txt" || fail "man -l $page shows no NAME section naming runbook"
"$prefix/bin/runbook" --help | awk '/^SUBCOMMANDS:/ { in_list = 1; next } in_list && /^  [a-z]/ { print $1 }' > "$tmp/subcommands"
[ "$(wc -l < "$tmp/subcommands")" -ge 3 ] || fail "runbook --help lists fewer than 3 subcommands"
for name in start watch serve; do
  grep -qx "$name" "$tmp/subcommands" || fail "runbook --help does not list $name"
done
while read -r name; do
  grep -Eq "^ {5}$name( |\$)" "$tmp/man.txt" || fail "the man page does not document the subcommand $name"
done < "$tmp/subcommands"
ok "man -l renders the page with no groff warning; it documents all $(wc -l < "$tmp/subcommands") subcommands of runbook --help (start, watch, serve among them)"

# The units: ExecStart names the installed binary; the settings this package promises are there.
unitdir="$prefix/lib/systemd/system"
check_unit() { # UNIT PATH SUBCOMMAND LINE...
  local unit="$1" path="$2" subcommand="$3"
  shift 3
  local command_line
  command_line="$(sed -n 's/^ExecStart=//p' "$path")"
  [ "$(grep -c '^ExecStart=' "$path")" = 1 ] || fail "$unit: expected one ExecStart line"
  local binary="${command_line%% *}"
  [ -x "$binary" ] || fail "$unit: ExecStart runs $binary, which is not an executable file"
  [ "$(cut -d' ' -f2 <<<"$command_line")" = "$subcommand" ] || fail "$unit: ExecStart is '$command_line', expected runbook $subcommand"
  if grep -q '@[A-Z_]*@' "$path"; then fail "$unit: a template placeholder is left: $(grep '@[A-Z_]*@' "$path")"; fi
  local line
  for line in "$@"; do
    grep -qxF "$line" "$path" || fail "$unit has no line '$line'"
  done
}
common=("Documentation=man:runbook(1)" "Environment=RUNBOOK_HOME=/srv/ops" "EnvironmentFile=-/etc/default/runbook"
        "Group=ops" "UMask=0007" "WantedBy=multi-user.target")
check_unit runbook-watch.service "$unitdir/runbook-watch.service" watch "${common[@]}" "Restart=always" \
  "ExecStart=$prefix/bin/runbook watch"
check_unit runbook-serve.service "$unitdir/runbook-serve.service" serve "${common[@]}" "Restart=on-failure" "KillMode=mixed" \
  "ExecStart=$prefix/bin/runbook serve \$RUNBOOK_SERVE_OPTIONS"
if grep -q '^User=' "$unitdir"/runbook-*.service; then fail "a unit sets User= (they run as root; systemctl edit adds a User=)"; fi
ok "units: ExecStart runs PREFIX/bin/runbook (present, executable), RUNBOOK_HOME, EnvironmentFile, Group=ops, UMask, Restart, KillMode, Documentation"

verify_units() { # MANPATH UNIT_FILE...
  local manpath="$1"
  shift
  if MANPATH="$manpath" SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$@" > "$tmp/verify.out" 2>&1 && [ ! -s "$tmp/verify.out" ]; then
    return 0
  fi
  cat "$tmp/verify.out" >&2
  fail "systemd-analyze verify $* reported problems (above)"
}
# systemd-analyze verify works without a running systemd (as in a container): it parses the units, checks that
# ExecStart's binary is executable, and runs `man` for Documentation=man:runbook(1), found here through MANPATH.
if command -v systemd-analyze >/dev/null; then
  verify_units "$prefix/share/man" "$unitdir/runbook-watch.service" "$unitdir/runbook-serve.service"
  ok "systemd-analyze verify: both units, Documentation=man:runbook(1) found in PREFIX/share/man"
else
  note "systemd-analyze is not installed (Debian's systemd): the units had the static checks above only"
fi

# ------------------------------------------------------------------------------------------------- make uninstall
# Files of other software in the same folders: uninstall must leave them.
others=("$prefix/bin/other-tool" "$prefix/share/man/man1/other.1.gz" "$prefix/lib/systemd/system/other.service"
        "$prefix/share/bash-completion/completions/other")
for file in "${others[@]}"; do echo other > "$file"; done
run_make uninstall PREFIX="$prefix" DESTDIR=
printf '%s\n' "${others[@]}" | LC_ALL=C sort > "$tmp/expected"
installed_files "$prefix" > "$tmp/actual"
same_list "what make uninstall left" "$tmp/expected" "$tmp/actual"
[ ! -e "$prefix/share/runbook" ] || fail "make uninstall left $prefix/share/runbook"
rm -f "${others[@]}"
[ -z "$(installed_files "$prefix")" ] || fail "files are left under $prefix"
ok "make uninstall removed every installed file and share/runbook, and left other software's files"

# ------------------------------------------------------------------------------------------------------- make deb
arch="$(dpkg --print-architecture)"
t0=$(date +%s%N)
run_make deb-files
deb="$(tail -n 1 "$tmp/make.log")"
[ "$deb" = "$root/.build/deb/runbook_${version}_${arch}.deb" ] || { cat "$tmp/make.log" >&2; fail "make deb-files printed '$deb', expected $root/.build/deb/runbook_${version}_${arch}.deb"; }
[ -f "$deb" ] || fail "make deb-files printed $deb, which does not exist"
ok "make deb-files: $deb ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"

dpkg-deb --info "$deb" > "$tmp/info" || fail "dpkg-deb --info $deb failed"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = runbook ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version (runbook --version)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture), expected $arch"
for name in Maintainer Section Priority Installed-Size Description; do
  [ -n "$(field "$name")" ] || fail "the control file has no $name"
done
[ "$(field Section)" = admin ] && [ "$(field Priority)" = optional ] || fail "Section/Priority: $(field Section)/$(field Priority)"
[ "$(field Description | wc -l)" -gt 3 ] || fail "the Description has no long part"
# Depends names exactly the packages that hold the shared libraries the binaries load directly (their NEEDED entries,
# located by ldd, owned by dpkg -S), so dpkg -i on a host without one of them refuses instead of installing a binary
# that cannot start. (Found independently of packaging/deb/build.sh, which asks dpkg-shlibdeps.)
for binary in runbook runbook-server; do
  ldd "$built/$binary" > "$tmp/ldd"
  objdump -p "$built/$binary" | awk '$1 == "NEEDED" { print $2 }' | while read -r soname; do
    library="$(awk -v name="$soname" '$1 == name && $2 == "=>" { print $3 } $1 ~ "/" name "$" { print $1 }' "$tmp/ldd" | head -n 1)"
    [ -n "$library" ] || { echo "UNRESOLVED $soname"; continue; }
    owner="$(dpkg -S "$library" 2>/dev/null || dpkg -S "$(realpath "$library")" 2>/dev/null)" || { echo "UNOWNED $library"; continue; }
    printf '%s\n' "${owner%%:*}"
  done
done | LC_ALL=C sort -u > "$tmp/expected"
if grep -Eq '^(UNRESOLVED|UNOWNED) ' "$tmp/expected"; then
  fail "cannot check Depends: $(grep -E '^(UNRESOLVED|UNOWNED) ' "$tmp/expected" | tr '\n' ' ')(not found by ldd, or owned by no package)"
fi
# The release build links libstdc++, SQLite and libyaml statically (the Makefile's STATIC_LIBS): runbook itself loads
# nothing but the C library's parts, and neither binary loads those three (a build outside make links them shared).
needed="$(objdump -p "$built/runbook" | awk '$1 == "NEEDED" { print $2 }' | LC_ALL=C sort | tr '\n' ' ')"
[ "$needed" = "ld-linux-x86-64.so.2 libc.so.6 libgcc_s.so.1 libm.so.6 " ] || [ "$needed" = "libc.so.6 libgcc_s.so.1 libm.so.6 " ] \
  || fail "runbook loads more than libc, libm and libgcc_s: $needed(release builds link libstdc++, SQLite and libyaml statically)"
if objdump -p "$built/runbook-server" | awk '$1 == "NEEDED" { print $2 }' | grep -E '^lib(stdc\+\+|sqlite3|yaml)'; then
  fail "runbook-server loads libstdc++, SQLite or libyaml as shared libraries (release builds link them statically)"
fi
ok "runbook loads only $needed; runbook-server no shared libstdc++, SQLite or libyaml"
field Depends | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | LC_ALL=C sort -u > "$tmp/actual"
same_list "the packages of Depends ($(field Depends))" "$tmp/expected" "$tmp/actual"
ok "control: Package runbook, Version $version, Architecture $arch, Section admin, Depends: $(field Depends)"
[ "$(dpkg-deb -I "$deb" conffiles)" = /etc/default/runbook ] || fail "conffiles is not exactly /etc/default/runbook"
for script in postinst prerm postrm; do
  grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script " "$tmp/info" || fail "the package has no executable $script"
  dpkg-deb -I "$deb" "$script" | sh -n || fail "the package's $script is not valid sh"
done
ok "control: conffiles /etc/default/runbook; postinst, prerm, postrm executable and valid sh"

dpkg-deb --contents "$deb" > "$tmp/contents" || fail "dpkg-deb --contents $deb failed"
{ expected_files /usr; echo /etc/default/runbook; } | LC_ALL=C sort > "$tmp/expected"
awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' "$tmp/contents" | LC_ALL=C sort > "$tmp/actual"
same_list "the package's files" "$tmp/expected" "$tmp/actual"
awk '$2 != "root/root" { print; bad = 1 } END { exit bad }' "$tmp/contents" >&2 || fail "files in the package not owned by root/root (above)"
awk '$1 !~ /^d/ && $6 ~ /^\.\/usr\/bin\// && $1 != "-rwxr-xr-x" { print; bad = 1 }
     $1 !~ /^d/ && $6 !~ /^\.\/usr\/bin\// && $1 != "-rw-r--r--" { print; bad = 1 } END { exit bad }' "$tmp/contents" >&2 \
  || fail "files in the package with unexpected modes (above; binaries 0755, the rest 0644)"
grep -q '^ExecStart=/usr/bin/runbook watch$' "$root/.build/deb/root/usr/lib/systemd/system/runbook-watch.service" \
  || fail "the packaged runbook-watch.service does not run /usr/bin/runbook watch"
ok "contents: the install list under /usr plus /etc/default/runbook, owned by root, modes 0755/0644, ExecStart=/usr/bin/runbook"

# ------------------------------------------------------------------------------------------------ dpkg, as root
[ "$(id -u)" -eq 0 ] || fail "the rest of this check installs the package with dpkg -i and needs root (CI runs as root): run it as root"
ops_existed=0
getent group ops >/dev/null && ops_existed=1
deb_installed=1
dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i $deb failed (a missing dependency means Depends is wrong)"; }
[ "$(dpkg-query -W -f='${Status}' runbook)" = "install ok installed" ] || fail "dpkg-query: runbook is $(dpkg-query -W -f='${Status}' runbook)"
[ "$(/usr/bin/runbook --version)" = "$version" ] || fail "/usr/bin/runbook --version printed '$(/usr/bin/runbook --version)'"
getent group ops >/dev/null || fail "the ops group does not exist after dpkg -i (postinst creates it)"
for file in /usr/lib/systemd/system/runbook-watch.service /usr/lib/systemd/system/runbook-serve.service /etc/default/runbook; do
  [ -f "$file" ] || fail "$file is missing after dpkg -i"
done
dpkg -L runbook | while read -r path; do [ -d "$path" ] || echo "$path"; done | LC_ALL=C sort > "$tmp/actual"
same_list "dpkg -L runbook (the files on disk; a dpkg path-exclude would show here)" "$tmp/expected" "$tmp/actual"
if [ "$ops_existed" = 1 ]; then ok "dpkg -i: installed; /usr/bin/runbook --version $version; group ops (it existed before); units and /etc/default/runbook in place"
else ok "dpkg -i: installed; /usr/bin/runbook --version $version; group ops created by postinst; units and /etc/default/runbook in place"; fi
[ "$(man -w runbook)" = /usr/share/man/man1/runbook.1.gz ] || fail "man -w runbook finds '$(man -w runbook 2>&1)', not /usr/share/man/man1/runbook.1.gz"
ok "man -w runbook: /usr/share/man/man1/runbook.1.gz"
if command -v systemd-analyze >/dev/null; then
  verify_units "" /usr/lib/systemd/system/runbook-watch.service /usr/lib/systemd/system/runbook-serve.service
  ok "systemd-analyze verify: the installed units"
fi
if [ -d /run/systemd/system ]; then
  note "systemd runs here: the maintainer scripts' daemon-reload, try-restart and stop ran"
else
  note "systemd does not run here: the maintainer scripts' systemctl calls (daemon-reload, try-restart, stop) were skipped by their [ -d /run/systemd/system ] test, as designed"
fi
dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i of the same package again (the upgrade path of the maintainer scripts) failed"; }
ok "dpkg -i again (upgrade: prerm upgrade, postinst configure $version) succeeds"

team="$tmp/team"
(cd "$tmp" && runbook init "$team" --group ops) > "$tmp/init.out" 2>&1 \
  || { cat "$tmp/init.out" >&2; fail "runbook init $team --group ops failed"; }
[ -f "$team/runbook-team.yaml" ] || fail "runbook init made no $team/runbook-team.yaml"
grep -Eq '^group: *ops$' "$team/runbook-team.yaml" || fail "$team/runbook-team.yaml does not say group: ops"
diff -r /usr/share/runbook/runbooks "$team/runbooks" >&2 || fail "runbook init did not copy /usr/share/runbook/runbooks into $team/runbooks (diff above)"
# With --group: folders 2770 and files 0660, owned by the group (runbook init --help).
for path in "$team" "$team/runbooks" "$team/runbook-team.yaml" "$team/incidents.db"; do
  [ -e "$path" ] || fail "runbook init made no $path"
  expected_mode=660
  [ -d "$path" ] && expected_mode=2770
  [ "$(stat -c '%G %a' "$path")" = "ops $expected_mode" ] || fail "$path is $(stat -c '%G %a' "$path"), expected group ops, mode $expected_mode"
done
ok "runbook init $team --group ops: runbook-team.yaml (group: ops), incidents.db, runbooks/ copied from /usr/share/runbook/runbooks; group ops, folders 2770, files 660"
(cd "$team" && runbook list) > "$tmp/list.out" 2>&1 || { cat "$tmp/list.out" >&2; fail "runbook list in $team failed"; }
grep -q 'security-incident' "$tmp/list.out" || { cat "$tmp/list.out" >&2; fail "runbook list in $team shows no security-incident"; }
ok "cd $team && runbook list: works without flags"
(cd "$tmp" && RUNBOOK_HOME="$team" runbook doctor) > "$tmp/doctor.out" 2>&1 || { cat "$tmp/doctor.out" >&2; fail "RUNBOOK_HOME=$team runbook doctor did not exit 0"; }
ok "RUNBOOK_HOME=$team runbook doctor: exits 0"
# `systemctl enable --now runbook-watch`, as far as a machine without systemd allows: the unit's ExecStart, with the
# unit's Environment= and /etc/default/runbook (EnvironmentFile=) naming the team directory, from / as systemd starts
# it; doctor must then see a watcher that stays up, and the scheduled runbooks no longer lack one.
unit=/usr/lib/systemd/system/runbook-watch.service
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
[ "$exec_start" = "/usr/bin/runbook watch" ] || fail "$unit: ExecStart=$exec_start, expected /usr/bin/runbook watch"
grep -qx 'Environment=RUNBOOK_HOME=/srv/ops' "$unit" || fail "$unit does not default RUNBOOK_HOME to /srv/ops"
echo "RUNBOOK_HOME=$team" >> /etc/default/runbook
(cd / && set -a && . /etc/default/runbook && set +a && exec env -i PATH=/usr/bin:/bin RUNBOOK_HOME="$RUNBOOK_HOME" $exec_start) \
  > "$tmp/watch.log" 2>&1 &
watch_pid=$!
for _ in $(seq 1 100); do
  (cd "$tmp" && RUNBOOK_HOME="$team" runbook doctor) > "$tmp/doctor.out" 2>&1 || true
  grep -q "a watcher runs as a service or in the foreground (pid $watch_pid" "$tmp/doctor.out" && break
  sleep 0.1
done
grep -q "a watcher runs as a service or in the foreground (pid $watch_pid" "$tmp/doctor.out" \
  || { cat "$tmp/doctor.out" "$tmp/watch.log" >&2; fail "runbook doctor does not see the watcher started as runbook-watch.service starts it"; }
! grep -q "have schedules, but no" "$tmp/doctor.out" || { cat "$tmp/doctor.out" >&2; fail "runbook doctor still says the schedules lack a watcher"; }
kill -TERM "$watch_pid"
wait "$watch_pid" || fail "the watcher did not stop cleanly on SIGTERM (as systemctl stop sends): $(cat "$tmp/watch.log")"
watch_pid=""
ok "runbook-watch.service's ExecStart, with RUNBOOK_HOME from /etc/default/runbook, run from /: doctor sees it (pid, since), SIGTERM stops it"

dpkg -r runbook > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -r runbook failed"; }
[ "$(dpkg-query -W -f='${Status}' runbook)" = "deinstall ok config-files" ] || fail "after dpkg -r, dpkg-query says $(dpkg-query -W -f='${Status}' runbook)"
while read -r path; do
  if [ "$path" = /etc/default/runbook ]; then
    [ -f "$path" ] || fail "dpkg -r removed the conffile $path (only a purge removes it)"
  else
    [ ! -e "$path" ] || fail "dpkg -r left $path"
  fi
done < "$tmp/expected"
[ ! -e /usr/share/runbook ] || fail "dpkg -r left /usr/share/runbook"
ok "dpkg -r runbook: every file gone (/usr/bin/runbook too), /etc/default/runbook kept"
dpkg -P runbook > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -P runbook failed"; }
deb_installed=0
[ ! -e /etc/default/runbook ] || fail "dpkg -P left /etc/default/runbook"
if status="$(dpkg-query -W -f='${Status}' runbook 2>/dev/null)" && [ "$status" != "unknown ok not-installed" ]; then
  fail "after dpkg -P, dpkg-query says $status"
fi
getent group ops >/dev/null || fail "the ops group is gone after dpkg -P (the package keeps it)"
ok "dpkg -P runbook: /etc/default/runbook gone, package unknown to dpkg; the ops group stays (by design, and this check leaves it)"

echo "check_install: all checks passed in $(( $(date +%s) - began )) s"
