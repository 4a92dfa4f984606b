#!/usr/bin/env bash
# Cross-validates candidate NLU pipelines on data/nlu and prints one line per candidate:
#   scripts/nlu_cross_validate.sh [FOLDS] [candidate.yml ...]
# (default: 3 folds, every tests/nlu/pipelines/*.yml). Slow: FOLDS trainings per
# candidate; run it on demand, not in CI. Reports land in results/cv/<candidate>/.
set -euo pipefail
cd "$(dirname "$0")/.."
folds=${1:-3}; shift || true
candidates=("$@")
[ ${#candidates[@]} -gt 0 ] || candidates=(tests/nlu/pipelines/*.yml)
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false
for config in "${candidates[@]}"; do
  name=$(basename "$config" .yml)
  out=results/cv/$name
  mkdir -p "$out"
  start=$(date +%s)
  .venv/rasa/bin/rasa test nlu --nlu data/nlu --config "$config" --cross-validation --folds "$folds" \
    --out "$out" --domain domain >"$out/log.txt" 2>&1
  seconds=$(( $(date +%s) - start ))
  # the "test" block of the summary: intent accuracy / F1 and DIET entity F1 (mean ± std)
  summary=$(grep -A4 -E "(Intent|Entity) evaluation results" "$out/log.txt" | grep -E "test|F1-Score|Accuracy" | \
    grep -v "train" | tr -s ' ' | sed 's/^.*INFO *//' | paste -sd ' ' -)
  echo "$name folds=$folds ${seconds}s $summary"
done
