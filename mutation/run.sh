#!/usr/bin/env bash
# Mutation testing of the pack's model and rules, group by group (see mutation/jest.config.js), then
# the overall score over all groups. Slow: hours on two cores. Usage: mutation/run.sh [group...]
set -euo pipefail
cd "$(dirname "$0")/.."
groups=("${@:-sets nsg gate graph paths}")
for g in ${groups[@]}; do
  echo "== mutation group $g"
  EXG_MUTATION_GROUP="$g" npx stryker run "mutation/stryker.$g.json"
done
node mutation/score.js
