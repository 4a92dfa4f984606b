#!/usr/bin/env bash
# Prints the path of a trained model for the current training inputs, training one only
# when config.yml, domain/, data/ or the custom NLU code changed since the last training.
# The NLU trains on a copy of data/nlu with spelling variants added (scripts/augment_nlu.py,
# deterministic: the fingerprint of its inputs is the fingerprint of its output).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p models
exec 9>models/.train.lock
# One training at a time. The fingerprint is taken under the lock, so a caller that
# waited sees the data as it is now and reuses a model trained while it waited.
flock 9
inputs=$(find config.yml domain data/nlu data/stories bot/nlu.py knowledge/roman_urdu.py knowledge/spelling.py scripts/augment_nlu.py -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' \) 2>/dev/null | LC_ALL=C sort)
fingerprint=$(cat $inputs | sha256sum | cut -c1-12)
name="sauda-$fingerprint"
model="models/$name.tar.gz"
if [ ! -f "$model" ]; then
  echo "training $model (training data changed)" >&2
  build=.sauda/build/nlu
  .venv/rasa/bin/python scripts/augment_nlu.py train "$build"
  RASA_TELEMETRY_ENABLED=false PYTHONPATH=$PWD .venv/rasa/bin/rasa train --domain domain \
    --data "$build" data/stories --fixed-model-name "$name" --out models >&2
  # keep the six newest models (worktrees share this folder)
  ls -1t models/sauda-*.tar.gz | tail -n +7 | xargs -r rm -f
fi
echo "$model"
