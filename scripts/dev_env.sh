#!/usr/bin/env bash
# Prints `export` lines for local development: ports, URLs and secrets. Secrets are
# random, generated once into $SAUDA_DATA_DIR/dev-secrets.env (never committed).
# Usage: eval "$(scripts/dev_env.sh)"
set -euo pipefail
data_dir=${SAUDA_DATA_DIR:-.sauda}
mkdir -p "$data_dir"
secrets_file="$data_dir/dev-secrets.env"
umask 077
touch "$secrets_file"
add_secret() {  # NAME VALUE: generated once, kept across runs
  grep -q "^$1=" "$secrets_file" || echo "$1=$2" >> "$secrets_file"
}
token() { python3 -c "import secrets; print(secrets.token_$1($2))"; }
add_secret WHATSAPP_VERIFY_TOKEN "$(token urlsafe 24)"
add_secret WHATSAPP_APP_SECRET "$(token hex 32)"
add_secret WHATSAPP_ACCESS_TOKEN "$(token urlsafe 48)"
add_secret SAUDA_INTERNAL_SECRET "$(token hex 32)"
add_secret RASA_AUTH_TOKEN "$(token urlsafe 32)"
add_secret SAUDA_ACTION_SECRET "$(token urlsafe 32)"
add_secret SAUDA_SESSION_SECRET "$(token hex 32)"
add_secret SAUDA_EVENTS_SECRET "$(token hex 32)"
# development logins (SAUDA_USERS is refused outside development mode: `python -m appserver users`)
add_secret SAUDA_USERS "owner:owner:$(token urlsafe 12),merchant:merchant:$(token urlsafe 12),agent:agent:$(token urlsafe 12)"
while IFS= read -r line; do
  name=${line%%=*}
  # a value already in the environment wins over the generated one
  if [ -z "${!name:-}" ]; then echo "export $line"; fi
done < "$secrets_file"
abs_data=$(cd "$data_dir" && pwd)
rasa_port=${SAUDA_RASA_PORT:-5005}
app_port=${SAUDA_APP_PORT:-5055}
actions_port=${SAUDA_ACTIONS_PORT:-5056}
sim_port=${SIM_PORT:-5077}
cat <<VARS
export SAUDA_DATA_DIR=$abs_data
export SAUDA_RASA_PORT=$rasa_port SAUDA_APP_PORT=$app_port SAUDA_ACTIONS_PORT=$actions_port SIM_PORT=$sim_port
export WHATSAPP_PHONE_NUMBER_ID=\${WHATSAPP_PHONE_NUMBER_ID:-100200300400500}
export WHATSAPP_GRAPH_BASE_URL=\${WHATSAPP_GRAPH_BASE_URL:-http://127.0.0.1:$sim_port}
export SIM_WEBHOOK_URL=http://127.0.0.1:$rasa_port/webhooks/whatsapp/webhook
export SAUDA_ACTION_URL=http://127.0.0.1:$actions_port/webhook
export SAUDA_HOOKS_URL=http://127.0.0.1:$app_port/internal/channel-events
export SAUDA_RASA_URL=http://127.0.0.1:$rasa_port SAUDA_PUBLIC_URL=http://127.0.0.1:$app_port SAUDA_DEV_MODE=1
export SAUDA_TRACKER_DB=$abs_data/trackers.db
export RASA_TELEMETRY_ENABLED=false
VARS
