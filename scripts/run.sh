#!/usr/bin/env bash
# `make run`: a demo database with every module and its demo data, served on
# http://localhost:$HTTP_PORT. A second run reuses the database; it upgrades the
# modules only when their files changed.
source "$(dirname "$0")/common.sh"

DB=${SERVICE_DB:-service_demo}
HTTP_PORT=${HTTP_PORT:-8069}
STATE_DIR=$REPO_DIR/.state
mkdir -p "$STATE_DIR"

setup_environment
CONF=$(write_odoo_config "$DB" "$STATE_DIR/$DB.conf")

modules_digest() {
    (cd "$REPO_DIR" && git ls-files -co --exclude-standard -- ${MODULES//,/ } | sort | xargs cat 2>/dev/null | sha1sum | cut -d' ' -f1)
}
installed=$(psql_run postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")
digest=$(modules_digest)
if [ -z "$installed" ]; then
    say "Creating the demo database '$DB' with $MODULES and their demo data"
    $ODOO_BIN -c "$CONF" -d "$DB" -i "$MODULES" --stop-after-init --log-level=warn
    psql_run "$DB" "ANALYZE"
elif [ "$(cat "$STATE_DIR/$DB.digest" 2>/dev/null)" != "$digest" ]; then
    say "Upgrading $MODULES in '$DB' (their files changed)"
    $ODOO_BIN -c "$CONF" -d "$DB" -i "$MODULES" -u "$MODULES" --stop-after-init --log-level=warn
else
    say "Reusing the database '$DB'"
fi
echo "$digest" > "$STATE_DIR/$DB.digest"

say "Serving http://localhost:$HTTP_PORT (login admin / password admin); Ctrl-C stops"
exec $ODOO_BIN -c "$CONF" -d "$DB" --http-port "$HTTP_PORT"
