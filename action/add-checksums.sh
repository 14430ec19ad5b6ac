#!/usr/bin/env bash
# Turns a release's SHA256SUMS (standard input) into lines of checksums.txt:
#   add-checksums.sh 0.2.0 < SHA256SUMS >> action/checksums.txt
set -euo pipefail
version=${1:?the version}
awk -v v="$version" '
  {
    name = $2
    sub(/^\*/, "", name)
    prefix = "maskscope-" v "-"
    if (index(name, prefix) != 1) next
    target = substr(name, length(prefix) + 1)
    sub(/\.(tar\.gz|zip)$/, "", target)
    print v, target, $1
  }
'
