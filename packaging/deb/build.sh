#!/usr/bin/env bash
# Makes the .deb from a staging folder that `make install-files DESTDIR=ROOT PREFIX=/usr` filled (plus
# /etc/default/runbook): writes ROOT/DEBIAN (control, conffiles, maintainer scripts), builds
# OUTDIR/runbook_VERSION_ARCH.deb with root-owned files (no fakeroot needed), and prints its path.
#
#   packaging/deb/build.sh ROOT OUTDIR
#
# Version: what the staged runbook says (`runbook --version`). Architecture: dpkg's. Depends: computed by
# dpkg-shlibdeps from the staged binaries, so it names exactly the packages of the shared libraries they load (NEEDED)
# with the lowest versions that provide the symbols they use; the Swift runtime is linked in statically and adds none.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 ROOT OUTDIR" >&2; exit 64; }
root="$(realpath "$1")"
outdir="$(realpath "$2")"
for binary in runbook runbook-server; do
  [ -x "$root/usr/bin/$binary" ] || { echo "build.sh: no $root/usr/bin/$binary; stage with make install-files DESTDIR=$root PREFIX=/usr" >&2; exit 1; }
done
[ -f "$root/etc/default/runbook" ] || { echo "build.sh: no $root/etc/default/runbook" >&2; exit 1; }
command -v dpkg-shlibdeps >/dev/null || { echo "build.sh: no dpkg-shlibdeps (Debian's dpkg-dev); run make deps" >&2; exit 1; }

version="$("$root/usr/bin/runbook" --version)"
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || { echo "build.sh: runbook --version printed '$version', not a Debian version" >&2; exit 1; }
arch="$(dpkg --print-architecture)"

rm -rf "$root/DEBIAN"
install -d -m 0755 "$root/DEBIAN"
install -m 0644 "$here/conffiles" "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done

# dpkg-shlibdeps reads the package list of a source tree's debian/control (to leave out libraries the package ships
# itself): a minimal one in a scratch folder stands in for it.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/debian"
printf 'Source: runbook\n\nPackage: runbook\nArchitecture: any\n' > "$scratch/debian/control"
elves=()
while IFS= read -r -d '' file; do
  [ "$(head -c 4 "$file")" = $'\x7fELF' ] && elves+=("$file")
done < <(find "$root/usr" -type f -perm -u+x -print0 | sort -z)
[ ${#elves[@]} -gt 0 ] || { echo "build.sh: no binaries under $root/usr" >&2; exit 1; }
# The binaries' RUNPATH is $ORIGIN (SwiftPM's default; no library is shipped beside them): -l$root/usr/bin lets
# dpkg-shlibdeps resolve it instead of warning about it.
substvars="$(cd "$scratch" && dpkg-shlibdeps -O "-l$root/usr/bin" "${elves[@]}")"
depends="$(sed -n 's/^shlibs:Depends=//p' <<<"$substvars")"
[ -n "$depends" ] || { echo "build.sh: dpkg-shlibdeps found no dependencies: $substvars" >&2; exit 1; }

installed_size="$(du -s --apparent-size --block-size=1024 --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@DEPENDS@|$depends|" -e "s|@INSTALLED_SIZE@|$installed_size|" \
  "$here/control.in" > "$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"
if grep -q '@[A-Z_]*@' "$root/DEBIAN/control"; then
  echo "build.sh: a placeholder is left in DEBIAN/control" >&2; exit 1
fi

mkdir -p "$outdir"
deb="$outdir/runbook_${version}_${arch}.deb"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
