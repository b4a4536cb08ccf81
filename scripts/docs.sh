#!/usr/bin/env bash
# `make docs`: the screenshots of docs/user-guide.md (docs/img/), taken from
# the demo database of `make run` ($SERVICE_DB), served for the occasion on
# the loopback interface ($HTTP_PORT) and shown to headless Chromium.
source "$(dirname "$0")/common.sh"

setup_environment
install_requirements "$REPO_DIR/requirements-test.txt"
prepare_demo_database

LOG=$STATE_DIR/$DB-docs.log
$ODOO_BIN -c "$CONF" -d "$DB" --http-interface 127.0.0.1 --http-port "$HTTP_PORT" \
    --workers 0 --max-cron-threads 0 --log-level=warn > "$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$HTTP_PORT
for _ in $(seq 120); do
    "$ODOO_PY" -c "import sys, requests; sys.exit(requests.get('$URL/web/login', timeout=5).status_code != 200)" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || die "Odoo stopped (see $LOG)"
    sleep 1
done
say "Taking the screenshots of docs/user-guide.md from $URL"
"$ODOO_PY" "$REPO_DIR/scripts/screenshots.py" --url "$URL" --db "$DB" \
    --out "$REPO_DIR/docs/img" --chromium "$(find_chromium)" "$@"
