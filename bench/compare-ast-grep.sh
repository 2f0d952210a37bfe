#!/bin/sh
# Runs Freshet and ast-grep side by side on real code with the same simple pattern rules
# (bench/rules/semgrep/<lang>.yaml and bench/rules/ast-grep/<lang>.yml), checks that their
# findings agree, and prints wall time, CPU time and peak memory of both (medians over RUNS runs,
# with their spread) and the Freshet/ast-grep ratios: of the medians, and the median of each
# round's ratio (the two tools run in turn, so a round's pair saw the same machine). Freshet is
# timed as a user runs it: the launcher, JVM start and all.
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

  python3 - "$runs" "$work" "$freshet" scan "$dir" --rules "$rules/semgrep/$lang.yaml" --format json --no-progress \
    --output "$work/f.json" -- "$sg" scan --rule "$rules/ast-grep/$lang.yml" --json=stream "$dir" <<'PY'
import os, statistics, subprocess, sys, time
runs, work, rest = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
split = rest.index("--")
commands = {"freshet": rest[:split], "ast-grep": rest[split + 1:]}
timings = {name: [] for name in commands}  # (wall s, CPU s, peak KiB) per run

def measure(name, command):
    """Wall time from the clock, CPU time and peak memory from the kernel's accounting of the child."""
    with open(os.path.join(work, "stderr"), "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # scan's exit code 1 only says that there were findings
        sys.stderr.write(f"failed ({code}): {' '.join(command)}\n" + open(os.path.join(work, "stderr")).read())
        sys.exit(2)
    timings[name].append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))

# Interleaved, each tool first in every other round, so that a drift of the machine's speed
# reaches both; each round's ratio compares runs taken side by side.
for i in range(runs):
    for name in (list(commands) if i % 2 == 0 else list(commands)[::-1]):
        measure(name, commands[name])
print(f"timing, median of {runs} interleaved runs (min-max):")
print(f"{'':10} {'wall s':>18} {'CPU s':>18} {'peak MiB':>18}")
for name, rows in timings.items():
    columns = list(zip(*rows))
    cells = [f"{statistics.median(v):6.3f} ({min(v):.3f}-{max(v):.3f})" for v in columns[:2]]
    cells.append(f"{statistics.median(columns[2]) / 1024:6.0f} ({min(columns[2]) / 1024:.0f}-{max(columns[2]) / 1024:.0f})")
    print(f"{name:10} " + " ".join(f"{c:>18}" for c in cells))
f, s = (list(zip(*timings[name])) for name in commands)
ratios = [statistics.median(a) / max(statistics.median(b), 1e-9) for a, b in zip(f, s)]
print(f"{'ratio':10} {ratios[0]:18.2f} {ratios[1]:18.2f} {ratios[2]:18.2f}   (freshet / ast-grep, of the medians)")
paired = [statistics.median(a / max(b, 1e-9) for a, b in zip(x, y)) for x, y in zip(f, s)]
print(f"{'per round':10} {paired[0]:18.2f} {paired[1]:18.2f} {paired[2]:18.2f}   (median of each round's ratio)")
PY
done
