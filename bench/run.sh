#!/usr/bin/env bash
# Benchmark maskscope against the floor (examples/floor.rs) and the nais JSON
# schema, on corpora written by gen_corpus.py. Prints a Markdown summary.
#
#   bench/run.sh [WORK_DIR]
#
# Needs: python3, hyperfine, GNU time (/usr/bin/time); check-jsonschema for the
# schema comparison and valgrind for the cost model (each skipped when missing).
# Environment: GEN_CORPUS (path of gen_corpus.py, default
# ../shared/bench/gen_corpus.py), SCHEMA (default
# ../shared/reference/nais-all.schema.json), RUNS (hyperfine runs, default 10),
# TURNS (rounds of the taking-turns comparison, default 21).
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
SCHEMA=${SCHEMA:-../shared/reference/nais-all.schema.json}
RUNS=${RUNS:-10}
TURNS=${TURNS:-21}
WORK=${1:-target/bench}
mkdir -p "$WORK"

cargo build --release --quiet --bin maskscope --example floor
BIN=target/release/maskscope
FLOOR=target/release/examples/floor

corpus() { # corpus NAME ARGS...: write a corpus once, reuse it after
    local dir="$WORK/$1"; shift
    [ -d "$dir" ] || python3 "$GEN" "$dir" "$@" > /dev/null
    echo "$dir"
}

echo "## maskscope benchmark"
echo
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# Wall time (median) and CPU time (user+sys, mean) with hyperfine, side by side.
# The first command is the floor; each row also gives its ratios to the floor.
summary() { # summary JSON: one Markdown row per command
    python3 - "$1" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
cpu = lambda r: r["user"] + r["system"]
floor = results[0]
for r in results:
    print(f"| `{r['command']}` | {r['median']*1000:.0f} ms | {cpu(r)*1000:.0f} ms "
          f"| {r['median']/floor['median']:.2f} | {cpu(r)/cpu(floor):.2f} |")
PY
}

for n in 2500 5000 10000; do
    dir=$(corpus "files-$n" --files "$n" --error-rate 0.05)
    echo "### $n files ($(du -sh --apparent-size "$dir" | cut -f1), 5% of scopes with a mistake)"
    echo
    echo "| command | wall (median) | CPU user+sys (mean) | wall / floor | CPU / floor |"
    echo "|---|---|---|---|---|"
    hyperfine --style none --warmup 2 --runs "$RUNS" -i --export-json "$WORK/h-$n.json" \
        "$FLOOR $dir" \
        "$BIN lint --format json $dir" \
        "$BIN lint $dir" \
        "$BIN resolve --format json $dir" > /dev/null
    summary "$WORK/h-$n.json"
    echo
done

# Per deployment: the same 5000 manifests in a repository whose workflow
# deploys every one of them to two clusters (a matrix), so that each is read
# and checked twice, once per Maskinporten environment.
src=$(corpus files-5000 --files 5000 --error-rate 0.05)
repo="$WORK/deployed-5000"
if [ ! -d "$repo" ]; then
    mkdir -p "$repo/.github/workflows"
    cp -r "$src" "$repo/.nais"
    resources=$(cd "$repo" && find .nais -type f -name '*.y*ml' | sort | paste -sd, -)
    cat > "$repo/.github/workflows/deploy.yaml" <<YAML
on: push
jobs:
  deploy:
    strategy:
      matrix:
        cluster: [dev-gcp, prod-gcp]
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: \${{ matrix.cluster }}
          RESOURCE: $resources
YAML
fi
echo "### Per deployment: 5000 files, each deployed to two clusters"
echo
echo "| command | wall (median) | CPU user+sys (mean) | wall / floor | CPU / floor |"
echo "|---|---|---|---|---|"
here=$(pwd)
hyperfine --style none --warmup 2 --runs "$RUNS" -i --export-json "$WORK/h-deployed.json" \
    "$FLOOR $src" \
    "$BIN lint --format json $src" \
    "cd $repo && $here/$BIN lint --format json" \
    "cd $repo && $here/$BIN resolve --format json" > /dev/null
summary "$WORK/h-deployed.json"
echo

# hyperfine runs all runs of one command, then the next: on a shared machine the
# load can change in between. Here the floor and maskscope take turns, round by
# round; each command gets the median of its CPU times and, since a round's runs
# follow each other within a second or two, the median (and quartiles) of its
# ratio to the floor's run of the same round.
dir=$(corpus files-5000 --files 5000 --error-rate 0.05)
echo "### Taking turns, 5000 files: CPU time (user+sys), $TURNS rounds"
echo
echo "| command | CPU (median) | ratio to the floor, same round: median (quartiles) |"
echo "|---|---|---|"
for round in $(seq "$TURNS"); do
    for cmd in "$FLOOR $dir" "$BIN lint $dir" "$BIN lint --format json $dir" "$BIN resolve --format json $dir"; do
        (/usr/bin/time -f "$round %U %S $cmd" $cmd > /dev/null || true) 2>&1 | tail -n1
    done
done | python3 -c '
import collections, statistics, sys
cpu = collections.defaultdict(dict)
for line in sys.stdin:
    round, user, system, command = line.split(" ", 3)
    cpu[command.strip()][round] = float(user) + float(system)
floor = next(iter(cpu.values()))
for command, times in cpu.items():
    ratios = [t / floor[r] for r, t in times.items() if floor.get(r)]
    q1, med, q3 = statistics.quantiles(ratios, n=4)
    print(f"| `{command}` | {statistics.median(times.values()) * 1000:.0f} ms "
          f"| {med:.2f} ({q1:.2f}–{q3:.2f}) |")
'
echo

# CPU time on a shared machine moves with the load of others. cachegrind gives
# a measure that does not: it counts the instructions run and simulates the
# caches and the branch predictor, on one thread. Estimated cycles are
# KCachegrind's default formula, Ir + 10 × (L1 misses + mispredicted branches)
# + 100 × last-level misses: a model of the cost, not a measured time.
if command -v valgrind > /dev/null; then
    dir=$(corpus files-500 --files 500 --error-rate 0.05)
    echo "### Cost model, 500 files, one thread (cachegrind)"
    echo
    echo "| command | instructions | L1 misses | LL misses | mispredicted branches | estimated cycles | ratio to the floor |"
    echo "|---|---|---|---|---|---|---|"
    for cmd in "$FLOOR $dir" "$BIN lint $dir" "$BIN lint --format json $dir" "$BIN resolve --format json $dir"; do
        RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes \
            --cachegrind-out-file="$WORK/cachegrind.out" $cmd > /dev/null 2>&1 || true
        echo "$cmd|$(grep '^events:' "$WORK/cachegrind.out")|$(grep '^summary:' "$WORK/cachegrind.out")"
    done | python3 -c '
import sys
floor = None
for line in sys.stdin:
    command, events, summary = line.rstrip("\n").split("|")
    e = dict(zip(events.split()[1:], map(int, summary.split()[1:])))
    l1 = e["I1mr"] + e["D1mr"] + e["D1mw"]
    ll = e["ILmr"] + e["DLmr"] + e["DLmw"]
    bm = e["Bcm"] + e["Bim"]
    cycles = e["Ir"] + 10 * (l1 + bm) + 100 * ll
    floor = floor or cycles
    ir = e["Ir"]
    print(f"| `{command}` | {ir / 1e6:.0f} M | {l1 / 1e3:.0f} k | {ll / 1e3:.0f} k "
          f"| {bm / 1e3:.0f} k | {cycles / 1e6:.0f} M | {cycles / floor:.2f} |")
'
    echo
else
    echo "(valgrind not installed: cost model skipped)"
    echo
fi

# Peak memory (maximum resident set size) on the largest corpus.
dir=$(corpus files-10000 --files 10000 --error-rate 0.05)
echo "### Peak memory, 10000 files"
echo
for cmd in "$FLOOR $dir" "$BIN lint --format json $dir" "$BIN lint $dir" "$BIN resolve --format json $dir"; do
    kb=$( (/usr/bin/time -f '%M' $cmd > /dev/null || true) 2>&1 | tail -n1)
    echo "- \`$cmd\`: $((kb / 1024)) MB"
done
echo

# `maskscope diff` on a repository: 2,000 manifests committed, then a commit
# that adds a consumer to 5% of them; against `lint` on the same tree.
repo="$WORK/diff-2000"
if [ ! -d "$repo/.git" ]; then
    rm -rf "$repo"
    python3 "$GEN" "$repo" --files 2000 --error-rate 0.05 > /dev/null
    g() { git -C "$repo" -c user.name=bench -c user.email=bench@example.com "$@"; }
    g init -q && g add -A && g commit -qm base
    python3 - "$repo" <<'PY'
import pathlib, re, sys
files = sorted(p for p in pathlib.Path(sys.argv[1]).rglob("*.yaml") if ".git" not in p.parts)
for p in files[::20]:
    text = p.read_text()
    p.write_text(re.sub(r'^(\s*)- orgno: "', r'\1- orgno: "910000000"\n\1- orgno: "', text, count=1, flags=re.M))
PY
    g commit -qam head
fi
echo "### diff: 2,000 manifests, a commit that changes 5% of them"
echo
echo "| command | wall (median) | CPU user+sys (mean) | wall / lint | CPU / lint |"
echo "|---|---|---|---|---|"
abs=$(cd "$repo" && pwd); bin=$(pwd)/$BIN
hyperfine --style none --warmup 2 --runs "$RUNS" -i --export-json "$WORK/h-diff.json" \
    "cd $abs && $bin lint --format json" \
    "cd $abs && $bin diff --format json HEAD~1 HEAD" \
    "cd $abs && $bin diff --format json HEAD~1" > /dev/null
summary "$WORK/h-diff.json"
echo
# The same three in the cost model: maskscope's own instructions, on one
# thread, without the git processes it runs and without the kernel.
if command -v valgrind > /dev/null; then
    out="$(cd "$WORK" && pwd)/cachegrind-diff.out"
    echo "| command | instructions (cachegrind, one thread) | ratio to lint |"
    echo "|---|---|---|"
    for cmd in "lint --format json" "diff --format json HEAD~1 HEAD" "diff --format json HEAD~1"; do
        (cd "$abs" && RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no \
            --cachegrind-out-file="$out" "$bin" $cmd > /dev/null 2>&1 || true)
        echo "$cmd|$(grep '^summary:' "$out" | cut -d' ' -f2)"
    done | python3 -c '
import sys
lint = None
for line in sys.stdin:
    command, ir = line.rstrip("\n").split("|")
    lint = lint or int(ir)
    print(f"| `{command}` | {int(ir) / 1e6:.0f} M | {int(ir) / lint:.2f} |")
'
    echo
fi

# The nais JSON schema, as `nais validate` applies it: one document per file.
if command -v check-jsonschema > /dev/null; then
    n=300
    dir=$(corpus "single-$n" --files "$n" --single --error-rate 0.05)
    mapfile -t files < <(find "$dir" -type f | sort)
    start=$(date +%s.%N)
    check-jsonschema --regex-variant python --schemafile "$SCHEMA" "${files[@]}" > /dev/null 2>&1 || true
    schema=$(echo "$(date +%s.%N) - $start" | bc)
    big=$(corpus single-5000 --files 5000 --single --error-rate 0.05)
    hyperfine --style none --warmup 2 --runs "$RUNS" -i --export-json "$WORK/h-schema.json" \
        "$BIN lint --format json $big" > /dev/null
    ours=$(python3 -c "import json; print(json.load(open('$WORK/h-schema.json'))['results'][0]['median'])")
    python3 - "$schema" "$n" "$ours" 5000 <<'PY'
import sys
schema, n, ours, m = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
a, b = schema / n * 1e3, ours / m * 1e3
print("### Against the nais JSON schema (one document per file)")
print()
print(f"- check-jsonschema: {schema:.1f} s for {n} files = {a:.2f} ms per file")
print(f"- maskscope lint: {ours*1e3:.0f} ms for {m} files = {b:.3f} ms per file")
print(f"- maskscope is {a / b:.0f} times faster per file")
PY
else
    echo "(check-jsonschema not installed: schema comparison skipped)"
fi
