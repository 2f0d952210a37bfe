#!/bin/sh
# Runs Freshet and ast-grep side by side on real code with the same simple pattern rules
# (bench/rules/semgrep/<lang>.yaml and bench/rules/ast-grep/<lang>.yml), checks that their
# findings agree, and prints wall time, CPU time and peak memory of both (medians over RUNS runs,
# with their spread) and the Freshet/ast-grep ratios. Freshet is timed as a user runs it: the
# launcher, JVM start and all.
#
# Usage: bench/compare-ast-grep.sh [CORPUS_DIR]      (default: ../shared/corpus/code)
# Environment: RUNS (default 5), FRESHET (launcher to time, default ./freshet),
#              AST_GREP_VERSION (default 0.51.1), CORPORA (default "sqlalchemy:python
#              commons-lang:java express:javascript gin:go").
# Example: RUNS=3 bench/compare-ast-grep.sh ../shared/corpus/code
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus_dir=$(cd "${1:-$root/../shared/corpus/code}" && pwd)
runs=${RUNS:-5}
freshet=${FRESHET:-$root/freshet}
corpora=${CORPORA:-"sqlalchemy:python commons-lang:java express:javascript gin:go"}
rules="$root/bench/rules"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
echo "installing @ast-grep/cli ${AST_GREP_VERSION:-0.51.1} from npm into $work ..." >&2
if ! npm install --prefix "$work" --no-save --no-audit --no-fund --silent "@ast-grep/cli@${AST_GREP_VERSION:-0.51.1}" >&2; then
  echo "compare-ast-grep: npm could not install @ast-grep/cli; is the npm registry reachable?" >&2
  exit 2
fi
sg="$work/node_modules/.bin/ast-grep"
echo "ast-grep: $("$sg" --version)" >&2
"$freshet" --version >/dev/null   # builds Freshet first if its sources changed
echo "freshet: $("$freshet" --version) via $freshet" >&2

# Runs a command RUNS times under /usr/bin/time; appends "wall cpu peak_kib" lines to $2.
measure() {
  out=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/one.time" "$@" >/dev/null 2>"$work/stderr" || {
    code=$?
    # scan's exit code 1 only says that there were findings.
    [ "$code" -eq 1 ] || { echo "failed ($code): $*" >&2; cat "$work/stderr" >&2; exit 2; }
  }
  # The last line: time puts "Command exited with non-zero status" before it.
  tail -n 1 "$work/one.time" | awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' >>"$out"
}

for entry in $corpora; do
  name=${entry%%:*}
  lang=${entry#*:}
  dir="$corpus_dir/$name"
  if [ ! -d "$dir" ]; then
    echo "compare-ast-grep: no corpus $dir; skipped" >&2
    continue
  fi
  case $lang in
    python) exts="py pyi" ;;
    java) exts="java" ;;
    javascript) exts="js jsx mjs cjs" ;;
    go) exts="go" ;;
    *) echo "compare-ast-grep: no rules for $lang" >&2; exit 2 ;;
  esac
  lines=0
  for ext in $exts; do
    n=$(find "$dir" -type f -name "*.$ext" -exec cat {} + 2>/dev/null | wc -l)
    lines=$((lines + n))
  done
  echo
  echo "== $name ($lang, $lines lines)"

  "$freshet" scan "$dir" --rules "$rules/semgrep/$lang.yaml" --format json --no-progress --output "$work/freshet.json" || [ $? -eq 1 ]
  "$sg" scan --rule "$rules/ast-grep/$lang.yml" --json=stream "$dir" >"$work/ast-grep.json"
  python3 - "$dir" "$work/freshet.json" "$work/ast-grep.json" <<'PY'
import collections, json, os, sys
base, freshet_file, sg_file = sys.argv[1:]
def rel(path):
    return os.path.relpath(path if os.path.isabs(path) else os.path.join(base, path) if not path.startswith(base) else path, base)
freshet = {(r["rule_id"], rel(r["path"]), r["start"]["line"]) for r in json.load(open(freshet_file))["results"]}
sg = set()
for line in open(sg_file):
    if line.strip():
        m = json.loads(line)
        sg.add((m["ruleId"], rel(m["file"]), m["range"]["start"]["line"] + 1))
rules = sorted({f[0] for f in freshet | sg})
print(f"{'rule':24} {'freshet':>8} {'ast-grep':>9} {'both':>6}")
for rule in rules:
    f = {x for x in freshet if x[0] == rule}
    s = {x for x in sg if x[0] == rule}
    print(f"{rule:24} {len(f):8d} {len(s):9d} {len(f & s):6d}")
agree = len(freshet & sg) / max(1, len(freshet | sg))
print(f"{'all':24} {len(freshet):8d} {len(sg):9d} {len(freshet & sg):6d}   agreement {agree:.1%}")
for label, only in (("only freshet", freshet - sg), ("only ast-grep", sg - freshet)):
    by_rule = collections.defaultdict(list)
    for x in sorted(only):
        by_rule[x[0]].append(f"{x[1]}:{x[2]}")
    for rule, where in by_rule.items():
        print(f"  {label}: {rule}: {len(where)}, e.g. {', '.join(where[:3])}")
PY

  : >"$work/freshet.times"
  : >"$work/ast-grep.times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    measure "$work/freshet.times" "$freshet" scan "$dir" --rules "$rules/semgrep/$lang.yaml" --format json --no-progress --output "$work/f.json"
    measure "$work/ast-grep.times" "$sg" scan --rule "$rules/ast-grep/$lang.yml" --json=stream "$dir"
    i=$((i + 1))
  done
  python3 - "$work/freshet.times" "$work/ast-grep.times" "$runs" <<'PY'
import statistics, sys
def load(path):
    rows = [tuple(float(v) for v in line.split()) for line in open(path) if line.strip()]
    return [[r[i] for r in rows] for i in range(3)]
f, s = load(sys.argv[1]), load(sys.argv[2])
print(f"timing, median of {sys.argv[3]} interleaved runs (min-max):")
print(f"{'':10} {'wall s':>18} {'CPU s':>18} {'peak MiB':>18}")
for label, t in (("freshet", f), ("ast-grep", s)):
    cells = [f"{statistics.median(v):6.2f} ({min(v):.2f}-{max(v):.2f})" for v in t[:2]]
    cells.append(f"{statistics.median(t[2]) / 1024:6.0f} ({min(t[2]) / 1024:.0f}-{max(t[2]) / 1024:.0f})")
    print(f"{label:10} " + " ".join(f"{c:>18}" for c in cells))
ratios = [statistics.median(a) / max(statistics.median(b), 1e-9) for a, b in zip(f, s)]
print(f"{'ratio':10} {ratios[0]:18.2f} {ratios[1]:18.2f} {ratios[2]:18.2f}   (freshet / ast-grep)")
PY
done
