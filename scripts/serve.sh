#!/usr/bin/env bash
# Production launcher (`make serve`): Rasa with credentials.yml (WhatsApp only, no REST
# channel), the app server without the dev clock or the simulator, and the lifecycle worker.
# Settings come from the environment, or from the file SAUDA_ENV_FILE (default .env) when it
# exists. Refuses to start with a missing, example or development secret
# (scripts/production_check.py). Stops everything when one process exits, so a supervisor
# (systemd, see README "Deploying") restarts the whole set.
set -euo pipefail
cd "$(dirname "$0")/.."
env_file=${SAUDA_ENV_FILE:-.env}
if [ -f "$env_file" ]; then set -a; . "$env_file"; set +a; fi
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false SAUDA_WORKER=off
.venv/app/bin/python scripts/production_check.py
model=${SAUDA_MODEL:-$(scripts/model.sh)}
data_dir=${SAUDA_DATA_DIR:-.sauda}
mkdir -p "$data_dir"
export SAUDA_DATA_DIR=$data_dir SAUDA_TRACKER_DB=${SAUDA_TRACKER_DB:-$data_dir/trackers.db}
export SAUDA_ACTION_URL=${SAUDA_ACTION_URL:-http://127.0.0.1:${SAUDA_ACTIONS_PORT:-5056}/webhook}
export SAUDA_HOOKS_URL=${SAUDA_HOOKS_URL:-http://127.0.0.1:${SAUDA_APP_PORT:-5055}/internal/channel-events}
export SAUDA_RASA_URL=${SAUDA_RASA_URL:-http://127.0.0.1:${SAUDA_RASA_PORT:-5005}}

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

.venv/app/bin/python -m lifecycle migrate
.venv/app/bin/python -m appserver & pids+=($!)
.venv/app/bin/python -m lifecycle worker & pids+=($!)
# bot/serve.py: `rasa run` with the API secret from the environment, not the command line
.venv/rasa/bin/python -m bot.serve --model "$model" --endpoints "${SAUDA_ENDPOINTS:-endpoints.yml}" \
  --credentials credentials.yml -i "${SAUDA_RASA_HOST:-127.0.0.1}" --port "${SAUDA_RASA_PORT:-5005}" & pids+=($!)
wait -n "${pids[@]}"
echo "a Sauda process exited; stopping the others" >&2
exit 1
