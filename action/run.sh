#!/usr/bin/env bash
# Runs `maskscope ARGS` for the action: ARGS (MASKSCOPE_ARGS) is split into words
# as a shell would, honouring quotes and backslashes, but nothing in it is
# expanded or run. Standard output goes to the log and to a report file; the
# outputs are the exit code and that file's path, and the step exits with
# maskscope's exit code.
set -euo pipefail

args=()
if [ -n "${MASKSCOPE_ARGS:-}" ]; then
  # xargs splits as the shell does, without expansion; printf hands each word
  # back ended by NUL.
  words=$(mktemp)
  if ! printf '%s\n' "$MASKSCOPE_ARGS" | xargs printf '%s\0' > "$words"; then
    echo "::error title=maskscope::args is not a command line (a quote is not closed?)" >&2
    exit 2
  fi
  while IFS= read -r -d '' word; do
    args+=("$word")
  done < "$words"
  rm -f "$words"
fi

# The report's extension follows --format, so that tools that go by it (such as
# SARIF uploaders) take the file.
extension=txt
previous=
for word in ${args[@]+"${args[@]}"}; do
  format=
  case "$word" in
    --format=*) format=${word#--format=} ;;
    *) [ "$previous" = --format ] && format=$word ;;
  esac
  case "$format" in
    sarif) extension=sarif ;;
    json) extension=json ;;
    markdown) extension=md ;;
    mermaid) extension=mmd ;;
    "") ;;
    *) extension=txt ;;
  esac
  previous=$word
done
report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/maskscope-report.$extension"

code=0
maskscope ${args[@]+"${args[@]}"} > "$report" || code=$?
cat "$report"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "report=$report"
  } >> "$GITHUB_OUTPUT"
fi
exit "$code"
