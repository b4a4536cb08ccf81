#!/usr/bin/env bash
# Shared set-up for `make run`, `make test` and `make bench`: find Odoo 18.0 and
# PostgreSQL, install the Python requirements into Odoo's environment.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULES=${SERVICE_MODULES:-service_contract,service_sla,service_billing,service_portal}
ODOO_HOME=${ODOO_HOME:-$HOME/.local/share/service-contracts/odoo-18.0}
ODOO_SOURCE_URL=${ODOO_SOURCE_URL:-https://github.com/odoo/odoo.git}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# The Python interpreter a script runs with, read from its shebang line.
shebang_python() {
    local line
    line=$(head -n 1 "$1" 2>/dev/null || true)
    case "$line" in
        '#!'*python*) line=${line#\#!}; line=${line#/usr/bin/env }; echo "${line%% *}" ;;
        *) echo "" ;;
    esac
}

odoo_is_18() {
    "$1" -c 'import odoo.release, sys; sys.exit(odoo.release.version_info[:2] != (18, 0))' 2>/dev/null
}

# Installs Odoo's official 18.0 source into $ODOO_HOME (only where none is found).
install_odoo_from_source() {
    say "No Odoo 18.0 found: installing Odoo's official 18.0 source into $ODOO_HOME"
    command -v git >/dev/null || die "git is needed to install Odoo 18.0"
    local python=${ODOO_BOOTSTRAP_PYTHON:-}
    if [ -z "$python" ]; then
        for candidate in python3.12 python3.11 python3.10 python3; do
            if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
                python=$(command -v "$candidate"); break
            fi
        done
    fi
    [ -n "$python" ] || die "Odoo 18.0 needs Python 3.10 to 3.12; none was found (set ODOO_BOOTSTRAP_PYTHON)"
    mkdir -p "$ODOO_HOME"
    if [ ! -d "$ODOO_HOME/src/.git" ]; then
        git clone --depth 1 --branch 18.0 "$ODOO_SOURCE_URL" "$ODOO_HOME/src" \
            || die "could not download Odoo 18.0 from $ODOO_SOURCE_URL (install Odoo 18.0 and put 'odoo' on PATH)"
    fi
    "$python" -m venv "$ODOO_HOME/venv"
    "$ODOO_HOME/venv/bin/pip" install --quiet --upgrade pip wheel
    "$ODOO_HOME/venv/bin/pip" install --quiet -r "$ODOO_HOME/src/requirements.txt" \
        || die "installing Odoo's requirements failed (see above)"
    # A plain path entry (compat mode), so that OCA wheels installed under
    # site-packages/odoo/addons do not hide the odoo package itself.
    "$ODOO_HOME/venv/bin/pip" install --quiet --no-deps -e "$ODOO_HOME/src" --config-settings editable_mode=compat
}

# Sets ODOO_BIN (command line to start Odoo) and ODOO_PY (its Python).
find_odoo() {
    ODOO_PY="" ODOO_BIN=""
    if [ -n "${ODOO_PYTHON:-}" ]; then
        ODOO_PY=$ODOO_PYTHON
    elif command -v odoo >/dev/null; then
        local bin
        bin=$(readlink -f "$(command -v odoo)")
        ODOO_PY=$(shebang_python "$bin")
        [ -n "$ODOO_PY" ] || ODOO_PY=python3
    elif command -v python3 >/dev/null && odoo_is_18 python3; then
        ODOO_PY=$(command -v python3)
    elif [ -x "$ODOO_HOME/venv/bin/python" ] && odoo_is_18 "$ODOO_HOME/venv/bin/python"; then
        ODOO_PY=$ODOO_HOME/venv/bin/python
    else
        install_odoo_from_source
        ODOO_PY=$ODOO_HOME/venv/bin/python
    fi
    odoo_is_18 "$ODOO_PY" || die "Odoo 18.0 is not importable by $ODOO_PY (install Odoo 18.0 Community, or set ODOO_PYTHON)"
    ODOO_BIN="$ODOO_PY -m odoo"
    say "Odoo $("$ODOO_PY" -c 'import odoo.release as r; print(r.version)') with $ODOO_PY"
}

# Installs requirements.txt into Odoo's environment (quietly; only when missing).
install_requirements() {
    local file=$1
    if "$ODOO_PY" -m pip install --quiet --dry-run --no-deps -r "$file" 2>/dev/null | grep -q "Would install"; then
        say "Installing $(basename "$file") into Odoo's Python environment"
    fi
    # An Odoo installed without packaging metadata (e.g. the Debian package)
    # would make pip fetch Odoo from PyPI for the OCA wheels: install without
    # dependencies then; requirements.txt lists the OCA closure itself.
    local no_deps=()
    "$ODOO_PY" -m pip show --quiet odoo >/dev/null 2>&1 || no_deps=(--no-deps)
    "$ODOO_PY" -m pip install --quiet "${no_deps[@]}" -r "$file" \
        || die "could not install $(basename "$file") into $ODOO_PY's environment"
}

check_postgres() {
    "$ODOO_PY" - <<'PY' || die "PostgreSQL is not reachable (set PGHOST, PGPORT, PGUSER, PGPASSWORD; the local socket was tried by default). It needs a role allowed to create databases."
import sys
import psycopg2
try:
    conn = psycopg2.connect(dbname="postgres")
except psycopg2.Error as error:
    print(error, file=sys.stderr)
    sys.exit(1)
if conn.server_version < 130000:
    print("PostgreSQL >= 13 is required", file=sys.stderr)
    sys.exit(1)
PY
}

# Odoo's own addons path with this repository in front; the OCA modules
# installed from PyPI are found through the odoo.addons namespace.
addons_path() {
    local base
    base=$("$ODOO_PY" -c 'from odoo.tools import config; config.parse_config([]); print(config["addons_path"])' 2>/dev/null)
    echo "$REPO_DIR,$base"
}

# Writes an Odoo configuration file $2 for database $1 and prints its path;
# further arguments are addons directories added to the path (the tests'
# example add-ons).
write_odoo_config() {
    local db=$1 file=$2 extra="" dir
    for dir in "${@:3}"; do extra+=",$dir"; done
    {
        echo "[options]"
        echo "addons_path = $(addons_path)$extra"
        echo "db_name = $db"
        echo "dbfilter = ^$db\$"
        echo "list_db = False"
        echo "http_port = ${HTTP_PORT:-8069}"
        [ -z "${PGHOST:-}" ] || echo "db_host = $PGHOST"
        [ -z "${PGPORT:-}" ] || echo "db_port = $PGPORT"
        [ -z "${PGUSER:-}" ] || echo "db_user = $PGUSER"
        [ -z "${PGPASSWORD:-}" ] || echo "db_password = $PGPASSWORD"
    } > "$file"
    echo "$file"
}

psql_run() {
    "$ODOO_PY" - "$@" <<'PY'
import sys
import psycopg2
dbname, sql = sys.argv[1], sys.argv[2]
conn = psycopg2.connect(dbname=dbname)
conn.autocommit = True
with conn.cursor() as cr:
    cr.execute(sql)
    if cr.description:
        for row in cr.fetchall():
            print(*row, sep="\t")
PY
}

# The browser Odoo's tour tests drive (the names Odoo looks for, in its order).
find_chromium() {
    local name
    for name in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$name" && return 0
    done
    return 1
}

# Chromium (Odoo's browser tests, `make docs`) and wkhtmltopdf (PDF reports):
# installed with apt-get where missing on Debian or Ubuntu as root; elsewhere
# the run stops and names the packages.
check_system_tools() {
    local missing=()
    find_chromium >/dev/null || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    [ ${#missing[@]} -gt 0 ] || return 0
    local os_ids=""
    [ ! -r /etc/os-release ] || os_ids=$(. /etc/os-release; echo "${ID:-} ${ID_LIKE:-}")
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [[ " $os_ids " =~ \ (debian|ubuntu)\  ]]; then
        say "Installing ${missing[*]} with apt-get (Odoo's browser tests and PDF reports need them)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq || die "apt-get update failed (see above)"
        apt-get install -y -qq --no-install-recommends "${missing[@]}" \
            || die "apt-get could not install ${missing[*]} (see above)"
        find_chromium >/dev/null && command -v wkhtmltopdf >/dev/null \
            || die "${missing[*]} installed, but chromium or wkhtmltopdf is still not on PATH"
    else
        die "missing: ${missing[*]}. Odoo's browser tests need Chromium and its PDF reports need wkhtmltopdf: install the packages 'chromium' and 'wkhtmltopdf' (on Debian or Ubuntu: apt-get install chromium wkhtmltopdf, as root), then run this again."
    fi
}

# The demo database of `make run` and `make docs` ($SERVICE_DB, default
# service_demo) with every module and its demo data: created, upgraded when the
# modules' files changed, or reused. Sets DB, HTTP_PORT, STATE_DIR and CONF.
prepare_demo_database() {
    DB=${SERVICE_DB:-service_demo}
    HTTP_PORT=${HTTP_PORT:-8069}
    STATE_DIR=$REPO_DIR/.state
    mkdir -p "$STATE_DIR"
    CONF=$(write_odoo_config "$DB" "$STATE_DIR/$DB.conf")
    local installed digest
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
}

modules_digest() {
    (cd "$REPO_DIR" && git ls-files -co --exclude-standard -- ${MODULES//,/ } | sort | xargs cat 2>/dev/null | sha1sum | cut -d' ' -f1)
}

setup_environment() {
    check_system_tools
    find_odoo
    check_postgres
    install_requirements "$REPO_DIR/requirements.txt"
}
