#!/usr/bin/env bash
# Starts the WhatsApp simulator, the app server and the Rasa server on the embedded
# defaults, waits until each answers its health check, and stops all three on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/dev_env.sh)"
export PYTHONPATH=$PWD
model=$(scripts/model.sh)
logs=$SAUDA_DATA_DIR/logs
mkdir -p "$logs"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping Sauda..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# the demo store comes with 90 days of generated orders (once, into an empty lifecycle database)
if [ "${SAUDA_DEMO_HISTORY:-1}" = 1 ]; then
  .venv/app/bin/python -m lifecycle.analytics.demo_history --if-empty || echo "demo history not added (see above); starting anyway" >&2
fi

.venv/app/bin/python -m simulator >"$logs/simulator.log" 2>&1 & pids+=($!)
.venv/app/bin/python -m appserver >"$logs/app.log" 2>&1 & pids+=($!)
# the API secret comes from the environment (bot/serve.py), never the command line
.venv/rasa/bin/python -m bot.serve --model "$model" --endpoints endpoints.yml --credentials credentials.dev.yml \
  -i 127.0.0.1 --port "$SAUDA_RASA_PORT" >"$logs/rasa.log" 2>&1 & pids+=($!)

wait_for() {  # name url timeout
  for _ in $(seq 1 "$3"); do
    if curl -fs -o /dev/null "$2" 2>/dev/null; then echo "  $1 is up: $2"; return 0; fi
    sleep 1
  done
  echo "$1 did not come up in $3 s; see $logs" >&2; exit 1
}
echo "starting Sauda (logs in $logs)..."
wait_for "WhatsApp simulator" "http://127.0.0.1:$SIM_PORT/health" 60
wait_for "app server       " "http://127.0.0.1:$SAUDA_APP_PORT/health" 120
wait_for "Rasa server      " "http://127.0.0.1:$SAUDA_RASA_PORT/webhooks/whatsapp/" 180

cat <<MSG

Sauda is running on its embedded defaults (SQLite under $SAUDA_DATA_DIR).
  Chat as a customer:
    curl -s -X POST http://127.0.0.1:$SIM_PORT/sim/customers/03001234567/send \\
         -H 'Content-Type: application/json' -d '{"text": "Assalam o alaikum"}'
  Transcript:   http://127.0.0.1:$SIM_PORT/sim/customers/03001234567/transcript
  Rasa:         http://127.0.0.1:$SAUDA_RASA_PORT   (WhatsApp webhook at /webhooks/whatsapp/webhook)
  App server:   http://127.0.0.1:$SAUDA_APP_PORT   (actions privately on 127.0.0.1:$SAUDA_ACTIONS_PORT)
  Merchant and agent pages: http://127.0.0.1:$SAUDA_APP_PORT/login
                (development logins, name:role:password: SAUDA_USERS in $SAUDA_DATA_DIR/dev-secrets.env)
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "a process exited; see $logs" >&2
