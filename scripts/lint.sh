#!/usr/bin/env bash
# `make lint`: OCA's pre-commit checks (.pre-commit-config.yaml: ruff,
# pylint-odoo, prettier, the manifest and README checks) over every file of
# the repository. pre-commit comes from PyPI into .state/, its hooks from PyPI
# and npm into .state/pre-commit.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO_DIR"
VENV=$REPO_DIR/.state/lint-venv
if [ ! -x "$VENV/bin/pre-commit" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r requirements-lint.txt
fi
export PRE_COMMIT_HOME=$REPO_DIR/.state/pre-commit
"$VENV/bin/pre-commit" run --all-files --show-diff-on-failure
