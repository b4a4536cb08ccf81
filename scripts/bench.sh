#!/usr/bin/env bash
# `make bench`: the benchmarks of bench/ in throwaway databases, dropped at
# the end. Two databases: one with the modules the product builds on but not
# the product (the reference of ticket intake), and a copy of it with the
# product and OCA's `contract` (compared with, installed only here).
# Arguments go to bench/bench.py, e.g. `scripts/bench.sh --contracts 10000`
# or `make bench BENCH_ARGS="--contracts 10000"`. BENCH_DB names the
# databases (default bench_<pid>; the run's copies are named <BENCH_DB>_*);
# BENCH_PORT and BENCH_GEVENT_PORT are the ports of the portal load test's
# server (default 8074 and 8090, on 127.0.0.1 only). BENCH_KEEP=1 keeps the
# databases at the end (to profile one section again on the same data).
source "$(dirname "$0")/common.sh"

DB=${BENCH_DB:-bench_$$}
VANILLA_DB=${DB}_vanilla
setup_environment
install_requirements "$REPO_DIR/bench/requirements.txt"

WORK=$(mktemp -d)
cleanup() {
    if [ -n "${BENCH_KEEP:-}" ]; then
        say "Databases kept: $DB and ${DB}_*"
        return
    fi
    # Every database of this run: the two above and the copies bench.py makes.
    for db in $(psql_run postgres "SELECT datname FROM pg_database WHERE datname = '$DB' OR starts_with(datname, '${DB}_')"); do
        psql_run postgres "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
CONF=$(write_odoo_config "$DB" "$WORK/odoo.conf")
echo "data_dir = $WORK/data" >> "$CONF"  # filestores and sessions go with $WORK

# The Odoo modules our modules depend on, without ours.
PLATFORM=$("$ODOO_PY" - "$REPO_DIR" "$MODULES" <<'PY'
import ast, pathlib, sys
repo, modules = pathlib.Path(sys.argv[1]), sys.argv[2].split(",")
ours = {p.parent.name for p in repo.glob("*/__manifest__.py")}
depends = set()
for module in modules:
    manifest = ast.literal_eval((repo / module / "__manifest__.py").read_text())
    depends.update(manifest.get("depends", []))
print(",".join(sorted(depends - ours)))
PY
)

install() {
    local db=$1 modules=$2
    $ODOO_BIN -c "$CONF" -d "$db" -i "$modules" --without-demo=all --stop-after-init \
        --log-level=warn 2>&1 | tee "$WORK/install.log"
    if grep -Eq ' (ERROR|CRITICAL) |failed to install' "$WORK/install.log"; then
        die "installing $modules into $db logged errors (see above)"
    fi
}
say "Installing $PLATFORM into '$VANILLA_DB' (the reference without the product)"
install "$VANILLA_DB" "$PLATFORM"
psql_run postgres "CREATE DATABASE \"$DB\" TEMPLATE \"$VANILLA_DB\""
# The copy's attachments (images of the installed records) are files: the
# filestore goes with the database, or every read of them fails.
if [ -d "$WORK/data/filestore/$VANILLA_DB" ]; then
    cp -r "$WORK/data/filestore/$VANILLA_DB" "$WORK/data/filestore/$DB"
fi
say "Installing $MODULES and OCA's contract into '$DB'"
install "$DB" "$MODULES,contract"

mkdir -p "$REPO_DIR/.state"
say "Measuring (bench/bench.py $*)"
cd "$REPO_DIR"
"$ODOO_PY" bench/bench.py --config "$CONF" --db "$DB" --vanilla-db "$VANILLA_DB" "$@" \
    | tee "$REPO_DIR/.state/bench-latest.md"
