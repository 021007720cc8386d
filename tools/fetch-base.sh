#!/usr/bin/env bash
# tools/fetch-base.sh DIR: put the pinned base tarball (tools/base.sha256)
# into DIR, from the Debian package tools/base.deb names: the package is
# downloaded with apt from its suite (a private apt state under $OUT/apt,
# the machine's own apt configuration untouched), its sha256 checked
# against the pin, and the tarball taken out of it.  The caller checks
# the tarball's own sha256.  Nothing in DIR is overwritten.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=${1:?usage: fetch-base.sh DIR}
field() { awk -v k="$1" '$1 == k {print $2}' "$TOP/tools/base.deb"; }
suite=$(field suite) pkg=$(field package) ver=$(field version) sum=$(field sha256) member=$(field member)
name=$(awk 'NR==1 {print $2}' "$TOP/tools/base.sha256")
[ ! -e "$dir/$name" ] || die "$dir/$name exists already; not overwriting it"
command -v apt-get >/dev/null || die "apt-get not found: cannot fetch $pkg $ver (give BASE=path/to/$name)"

A=$OUT/apt
mkdir -p "$A/state/lists/partial" "$A/cache/archives/partial" "$dir"
printf 'deb http://deb.debian.org/debian %s main\n' "$suite" >"$A/sources.list"
opts=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o Dir::State="$A/state" -o Dir::Cache="$A/cache" -o APT::Get::List-Cleanup=0
      -o Acquire::Retries=3 -o APT::Sandbox::User=root)
step BASE "fetching $pkg $ver from Debian's $suite"
log=$LOGDIR/fetch-base.log
timeout 600 apt-get "${opts[@]}" update >"$log" 2>&1 ||
	{ tail -n 5 "$log" >&2; die "apt-get update for $suite failed; see $log (or give BASE=path/to/$name)"; }
tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && timeout 1200 apt-get "${opts[@]}" download "$pkg=$ver") >>"$log" 2>&1 ||
	{ tail -n 5 "$log" >&2; die "cannot download $pkg $ver from $suite; see $log (or give BASE=path/to/$name)"; }
deb=$(ls "$tmp"/*.deb)
have=$(sha256sum "$deb" | cut -d' ' -f1)
[ "$have" = "$sum" ] || die "checksum mismatch for $(basename "$deb"): sha256 $have, tools/base.deb says $sum"
dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$tmp" "./$member" ||
	die "$(basename "$deb") has no $member"
mv "$tmp/$member" "$dir/$name"
step BASE "$dir/$name from $(basename "$deb")"
