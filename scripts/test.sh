#!/usr/bin/env bash
# `make test`: a throwaway database with every module installed (with demo
# data), every test run by pytest-odoo, the database dropped afterwards.
# For development: SERVICE_TEST_DB=name KEEP_DB=1 keeps (and next time
# upgrades) the database; TEST_PATHS narrows the tests run.
source "$(dirname "$0")/common.sh"

DB=${SERVICE_TEST_DB:-service_test_$$}
KEEP_DB=${KEEP_DB:-}
setup_environment
install_requirements "$REPO_DIR/requirements-test.txt"

WORK=$(mktemp -d)
cleanup() {
    [ -n "$KEEP_DB" ] || psql_run postgres "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# The example add-ons of tests/addons (an integrator's extensions, with their
# tests), installed after the product.
TEST_ADDONS=${SERVICE_TEST_ADDONS-service_billing_po_grouping}
CONF=$(write_odoo_config "$DB" "$WORK/odoo.conf" "$REPO_DIR/tests/addons")
# Hypothesis keeps its caches in the run's temporary folder, not in the
# repository (the property tests keep no example database either).
export HYPOTHESIS_STORAGE_DIRECTORY="$WORK/hypothesis"

update=() update_addons=()
if [ -n "$KEEP_DB" ] && [ -n "$(psql_run postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    update=(-u "$MODULES")
    [ -z "$TEST_ADDONS" ] || update_addons=(-u "$TEST_ADDONS")
fi
say "Installing $MODULES into the database '$DB'"
$ODOO_BIN -c "$CONF" -d "$DB" -i "$MODULES" "${update[@]}" --stop-after-init --log-level=warn \
    2>&1 | tee "$WORK/install.log"
if [ -n "$TEST_ADDONS" ]; then
    say "Installing the example add-ons $TEST_ADDONS"
    $ODOO_BIN -c "$CONF" -d "$DB" -i "$TEST_ADDONS" "${update_addons[@]}" --stop-after-init \
        --log-level=warn 2>&1 | tee -a "$WORK/install.log"
fi
if grep -Eq ' (ERROR|CRITICAL) |failed to install' "$WORK/install.log"; then
    die "installing the modules logged errors (see above)"
fi
psql_run "$DB" "ANALYZE"

run_pytest() {
    "$ODOO_PY" -m pytest --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
        -p no:cacheprovider ${PYTEST_ARGS:-} "$@"
}

say "Running the tests (on the tests' own clock)"
cd "$REPO_DIR"
status=0
run_pytest ${TEST_PATHS:-${MODULES//,/ } tests} || status=$?

# The calendar pass: the date-sensitive tests again with the clock set to
# hard days (month ends, leap and common Februaries, the year's end, the
# DST changes of Europe and America). Part of every full run.
if [ -z "${TEST_PATHS:-}" ]; then
    for day in ${CALENDAR_DAYS:-2027-01-31 2027-02-28 2028-02-29 2026-12-31 2027-03-14 2027-03-28}; do
        say "Calendar pass: the date-sensitive tests on $day"
        SERVICE_TEST_TODAY=$day run_pytest ${CALENDAR_TESTS:-service_contract/tests service_billing/tests tests} \
            --ignore=service_contract/tests/test_anchored_calendar.py \
            --ignore=tests/test_packaging.py --ignore=tests/test_translations.py \
            --ignore=tests/test_data_model_doc.py || status=$?
    done
fi
exit $status
