#!/usr/bin/env bash
# Mutation testing of the pack's model and rules, group by group (see mutation/jest.config.js), then the scores of the
# groups run. Slow: most of an hour or more per group on two cores.
# Usage: mutation/run.sh [group…] [stryker option…], e.g. `mutation/run.sh gate --force` (--force ignores the
# incremental report and runs every mutant again).
set -euo pipefail
cd "$(dirname "$0")/.."
groups=()
options=()
for a in "$@"; do
  if [[ $a == -* ]]; then options+=("$a"); else groups+=("$a"); fi
done
if [[ ${#groups[@]} -eq 0 ]]; then groups=(sets nsg gate graph paths); fi
mkdir -p reports/mutation
for g in "${groups[@]}"; do
  echo "== mutation group $g"
  start=$(date +%s%3N)
  EXG_MUTATION_GROUP="$g" npx stryker run "mutation/stryker.$g.json" "${options[@]}"
  # The wall time and the machine's load beside the report, for score.js.
  node -e 'const os=require("os"); console.log(JSON.stringify({ms: Number(process.argv[1]), load: os.loadavg().map((l) => l.toFixed(1)), date: new Date().toISOString()}))' \
    "$(($(date +%s%3N) - start))" >"reports/mutation/$g.run.json"
done
node mutation/score.js "${groups[@]}"
