#!/usr/bin/env bash
# `make run`: a demo database with every module and its demo data, served on
# http://localhost:$HTTP_PORT. A second run reuses the database; it upgrades the
# modules only when their files changed.
source "$(dirname "$0")/common.sh"

setup_environment
prepare_demo_database

say "Serving http://localhost:$HTTP_PORT (login admin / password admin); Ctrl-C stops"
exec $ODOO_BIN -c "$CONF" -d "$DB" --http-port "$HTTP_PORT"
