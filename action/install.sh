#!/usr/bin/env bash
# Downloads a maskscope release archive for this runner, verifies it against the
# checksums this action carries, and puts the binary on PATH.
#
#   install.sh plan            the version, target, archive name and expected sha256
#   install.sh install CACHE   download into CACHE unless there, verify, unpack
#
# Both write `key=value` lines to $GITHUB_OUTPUT (standard output without it).
# Read from the environment:
#   MASKSCOPE_VERSION       a released version, `v` optional; default: the version
#                           in the Cargo.toml beside this action, that of its tag
#   MASKSCOPE_DOWNLOAD_URL  where releases are, default: Cargo.toml's repository
#                           followed by /releases/download
#   MASKSCOPE_CHECKSUMS     the checksum table, default: checksums.txt beside this
#   MASKSCOPE_GITHUB_TOKEN  sent only to the default download address
#   RUNNER_OS, RUNNER_ARCH  the runner's platform, as GitHub sets them
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
manifest="$here/../Cargo.toml"

fail() {
  echo "::error title=maskscope::$*" >&2
  exit 1
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$1" "$2"
  fi
}

# The first `KEY = "value"` of Cargo.toml: both keys are in [package], on top.
package_value() {
  sed -n "s/^$1 = \"\(.*\)\"\$/\1/p" "$manifest" | head -n 1
}

version=${MASKSCOPE_VERSION:-}
version=${version#v}
if [ -z "$version" ]; then
  version=$(package_value version)
fi
# The version becomes part of a URL and of file names: digits and dots only,
# with an optional pre-release or build suffix.
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  fail "\`$version\` is not a maskscope version (like 0.1.0)"
fi

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fail "no maskscope binary for ${RUNNER_OS:-?} on ${RUNNER_ARCH:-?}; released for Linux (X64, ARM64), macOS (X64, ARM64) and Windows (X64)" ;;
esac
case "$target" in
  *windows*) archive="maskscope-$version-$target.zip" exe=maskscope.exe ;;
  *) archive="maskscope-$version-$target.tar.gz" exe=maskscope ;;
esac

table=${MASKSCOPE_CHECKSUMS:-$here/checksums.txt}
expected=$(awk -v v="$version" -v t="$target" '$1 == v && $2 == t { print $3 }' "$table")
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  known=$(awk '/^[0-9]/ { print $1 }' "$table" | sort -u | tr '\n' ' ')
  fail "maskscope $version for $target has no checksum in this action (action/checksums.txt knows: ${known:-none}); use a version it knows, or a newer commit of the action"
fi

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

case "${1:-}" in
  plan)
    output version "$version"
    output target "$target"
    output archive "$archive"
    output sha256 "$expected"
    ;;
  install)
    cache=${2:?install needs the cache folder}
    mkdir -p "$cache"
    repository=$(package_value repository)
    base=${MASKSCOPE_DOWNLOAD_URL:-$repository/releases/download}
    base=${base%/}
    if [ ! -f "$cache/$archive" ]; then
      url="$base/v$version/$archive"
      echo "Downloading $url"
      partial="$cache/$archive.partial"
      auth=()
      if [ "$base" = "$repository/releases/download" ] && [ -n "${MASKSCOPE_GITHUB_TOKEN:-}" ]; then
        auth=(-H @<(printf 'Authorization: Bearer %s\n' "$MASKSCOPE_GITHUB_TOKEN"))
      fi
      status=$(curl -sSL --retry 3 ${auth[@]+"${auth[@]}"} -o "$partial" -w '%{http_code}' "$url") || status=${status:-000}
      if [ "$status" != 200 ]; then
        rm -f "$partial"
        fail "could not download maskscope $version: $url answered HTTP $status (is $version released?)"
      fi
      mv "$partial" "$cache/$archive"
    fi
    actual=$(sha256 "$cache/$archive")
    if [ "$actual" != "$expected" ]; then
      # Removed, so that a cache never keeps it.
      rm -f "$cache/$archive"
      fail "checksum mismatch for $archive: expected $expected, got $actual; refusing it"
    fi
    unpacked="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/maskscope-$version-$target"
    rm -rf "$unpacked"
    mkdir -p "$unpacked"
    case "$archive" in
      # Git Bash on Windows: unzip or 7-Zip (its GNU tar takes `D:` for a host).
      *.zip)
        if command -v unzip > /dev/null; then
          unzip -q "$cache/$archive" -d "$unpacked"
        elif command -v 7z > /dev/null; then
          7z x -y -o"$unpacked" "$cache/$archive" > /dev/null
        else
          tar -xf "$cache/$archive" -C "$unpacked"
        fi
        ;;
      *) tar -xzf "$cache/$archive" -C "$unpacked" ;;
    esac
    bin="$unpacked/maskscope-$version-$target"
    [ -f "$bin/$exe" ] || fail "$archive holds no maskscope-$version-$target/$exe"
    chmod +x "$bin/$exe"
    if [ -n "${GITHUB_PATH:-}" ]; then
      echo "$bin" >> "$GITHUB_PATH"
    fi
    echo "maskscope $version ($target, sha256 $actual) is in $bin"
    output path "$bin/$exe"
    ;;
  *)
    fail "usage: install.sh plan | install CACHE"
    ;;
esac
