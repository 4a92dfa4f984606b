#!/usr/bin/env bash
# Cross-validates NLU pipelines on data/nlu the way the model is trained: each fold's
# training part gets its spelling variants (scripts/augment_nlu.py), the held-back part is
# tested as written. Prints one line per candidate and fold, then the mean:
#   scripts/nlu_cross_validate.sh [FOLDS] [candidate.yml ...]
# (default: 3 folds, config.yml). Slow: FOLDS trainings per candidate; run it on demand,
# not in CI. Reports land in results/cv/<candidate>/.
set -euo pipefail
cd "$(dirname "$0")/.."
folds=${1:-3}; shift || true
candidates=("$@")
[ ${#candidates[@]} -gt 0 ] || candidates=(config.yml)
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false
for config in "${candidates[@]}"; do
  name=$(basename "$config" .yml)
  out=results/cv/$name
  mkdir -p "$out"
  for ((k = 0; k < folds; k++)); do
    .venv/rasa/bin/python scripts/augment_nlu.py train "$out/train$k" --fold "$k/$folds"
    .venv/rasa/bin/python scripts/augment_nlu.py fold "$out/test$k" --fold "$k/$folds"
    start=$(date +%s)
    .venv/rasa/bin/rasa train nlu --nlu "$out/train$k" -c "$config" --out "$out" --fixed-model-name "fold$k" \
      >"$out/train$k.log" 2>&1
    seconds=$(( $(date +%s) - start ))
    .venv/rasa/bin/python scripts/nlu_eval.py --model "$out/fold$k.tar.gz" --data "$out/test$k" \
      --json "$out/fold$k.json" >"$out/eval$k.log" 2>&1 || true
    .venv/rasa/bin/python -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"$name fold $k/$folds \
(${seconds}s training): intent accuracy {r['intent_accuracy']:.3f}, entity F1 {r['entity_f1']:.3f}, \
{r['examples']} messages\")" "$out/fold$k.json"
  done
  .venv/rasa/bin/python -c "import json,sys,statistics as s; rs=[json.load(open(p)) for p in sys.argv[1:]]; \
a=[r['intent_accuracy'] for r in rs]; e=[r['entity_f1'] for r in rs]; \
print(f'$name mean of {len(rs)} folds: intent accuracy {s.mean(a):.3f} ± {s.pstdev(a):.3f}, entity F1 {s.mean(e):.3f} ± {s.pstdev(e):.3f}')" \
    "$out"/fold*.json
done
