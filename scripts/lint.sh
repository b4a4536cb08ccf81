#!/usr/bin/env bash
# `make lint`: ruff and pylint-odoo over the modules and tests.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO_DIR"
VENV=$REPO_DIR/.state/lint-venv
if [ ! -x "$VENV/bin/pylint" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r requirements-lint.txt
fi
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# The README is written in readme/ fragments; the manifest has no maintainers list.
"$VENV/bin/pylint" --rcfile=.pylintrc \
    --disable=manifest-maintainers-list,missing-readme,website-manifest-key-not-valid-uri \
    service_contract service_sla service_billing service_portal
