#!/usr/bin/env bash
# Kefu through the peer workload: fresh embedded install, kefu run on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KEFU_DATA_DIR=$(mktemp -d /tmp/kefu-peer-XXXX)
unset DATABASE_URL REDIS_URL
.venv/bin/kefu migrate >/dev/null
.venv/bin/kefu demo --tickets 0 >/dev/null
.venv/bin/kefu createadmin --email admin@example.com --password 'bench-admin-pw' >/dev/null
KEY=$(.venv/bin/kefu apikey create --email admin@example.com)
.venv/bin/kefu run --port 8000 > /tmp/kefu-peer-server.log 2>&1 &
PID=$!
trap 'kill -TERM $PID; wait $PID' EXIT
for i in $(seq 1 60); do curl -sf http://127.0.0.1:8000/healthz >/dev/null && break; sleep 0.5; done
"${PEER_VENV:-/tmp/peer-venv}/bin/python" ../shared/bench-peer/workload.py --target kefu --base-url http://127.0.0.1:8000 \
    --kefu-token "$KEY" --admin-user admin@example.com --admin-password 'bench-admin-pw' --server-pid "$PID" \
    --n 20000 --calls 100 --phase-budget-s 60 --out bench/peer/kefu-sqlite-n20000.json "$@"
