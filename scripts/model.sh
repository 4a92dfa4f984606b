#!/usr/bin/env bash
# Prints the path of a trained model for the current training inputs, training one only
# when config.yml, domain/, data/ or the custom NLU code changed since the last training.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=$(find config.yml domain data bot/nlu.py knowledge/roman_urdu.py -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.txt' \) 2>/dev/null | LC_ALL=C sort)
fingerprint=$(cat $inputs | sha256sum | cut -c1-12)
name="sauda-$fingerprint"
model="models/$name.tar.gz"
mkdir -p models
exec 9>models/.train.lock
flock 9  # one training at a time; a second caller reuses the first one's model
if [ ! -f "$model" ]; then
  echo "training $model (training data changed)" >&2
  RASA_TELEMETRY_ENABLED=false PYTHONPATH=$PWD .venv/rasa/bin/rasa train --domain domain \
    --fixed-model-name "$name" --out models >&2
  # keep the three newest models
  ls -1t models/sauda-*.tar.gz | tail -n +4 | xargs -r rm -f
fi
echo "$model"
