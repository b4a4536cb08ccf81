"""A database installed at 18.0.1.0.0 upgrades to this version with its data
unchanged: the landed main's add-ons (commit 148fa82, taken from this
repository's history) are installed with demo data into a throwaway database,
the facts a customer and an accountant rely on are read (contracts, periods,
the usage ledger, SLA results, invoices: tests/migration_snapshot.py), the
add-ons of this tree upgrade the database, and the same facts are read again.

Nothing is frozen in the Odoo processes: only stored facts are compared (the
period's state, computed from today's date, only when both snapshots were read
on the same day). Records the upgrade adds (demo data of the new version) are
not compared; none of the old ones may change or go. Slow (two installs' worth
of work): left out of the calendar pass."""

import ast
import json
import os
import pathlib
import subprocess
import sys
import tarfile

import pytest

from odoo.tools import config

from .postgres import connect

REPO = pathlib.Path(__file__).resolve().parent.parent
LANDED = "148fa82"
LANDED_VERSION = "18.0.1.0.0"
MODULES = ("service_contract", "service_sla", "service_billing", "service_portal")
SNAPSHOT_SCRIPT = pathlib.Path(__file__).with_name("migration_snapshot.py")


def _landed_tree(target):
    """The add-ons of the landed main, extracted from this repository."""
    found = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{LANDED}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if found.returncode:
        pytest.fail(
            f"commit {LANDED} (the landed main this version migrates from) is not "
            f"in the repository {REPO}: the migration test needs a full clone "
            "(git fetch --unshallow)",
            pytrace=False,
        )
    archive = target.with_suffix(".tar")
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(archive), LANDED, *MODULES],
        check=True,
        capture_output=True,
    )
    target.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def _write_config(path, tree, db, data_dir):
    """An Odoo configuration like scripts/common.sh's write_odoo_config: the
    running tests' database server and Odoo/OCA add-ons, ``tree`` in front."""
    others = [
        entry
        for entry in config["addons_path"].split(",")
        if pathlib.Path(entry).resolve() != REPO
    ]
    lines = [
        "[options]",
        f"addons_path = {','.join([str(tree), *others])}",
        f"db_name = {db}",
        f"dbfilter = ^{db}$",
        "list_db = False",
        f"data_dir = {data_dir}",
    ]
    lines += [
        f"{key} = {config[key]}"
        for key in ("db_host", "db_port", "db_user", "db_password")
        if config[key]
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _odoo(conf, db, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "-m", "odoo", *args[:1], "-c", str(conf), "-d", db]
        + ["--no-http", "--log-level=warn", *args[1:]],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert " ERROR " not in log and " CRITICAL " not in log, log
    return log


def _snapshot(conf, db, path):
    script = SNAPSHOT_SCRIPT.read_text() + f"\nwrite_snapshot(env, {str(path)!r})\n"
    _odoo(conf, db, "shell", stdin=script)
    return json.loads(path.read_text())


def _as_before(before, after):
    """The rows of ``after`` that were there before, in the same order: the
    upgrade may add demo records of the new version, never change or lose one
    (a lost row shows as missing)."""
    ids = {row["id"] for row in before}
    return [row for row in after if row["id"] in ids]


def _version(module):
    manifest = ast.literal_eval((REPO / module / "__manifest__.py").read_text())
    return manifest["version"]


def test_upgrade_from_the_landed_main_keeps_the_data(tmp_path):
    db = f"migrate_{os.getpid()}"
    landed = _landed_tree(tmp_path / "landed")
    old_conf = _write_config(tmp_path / "old.conf", landed, db, tmp_path / "data")
    new_conf = _write_config(tmp_path / "new.conf", REPO, db, tmp_path / "data")
    try:
        _odoo(old_conf, db, "server", "-i", ",".join(MODULES), "--stop-after-init")
        before = _snapshot(old_conf, db, tmp_path / "before.json")
        assert before["modules"] == dict.fromkeys(sorted(MODULES), LANDED_VERSION)
        for facts in ("contracts", "periods", "ledger", "sla", "invoices"):
            assert before[facts], f"the demo data has no {facts}: nothing compared"
        assert any(row["sla_response_deadline"] for row in before["sla"])

        _odoo(new_conf, db, "server", "-u", ",".join(MODULES), "--stop-after-init")
        after = _snapshot(new_conf, db, tmp_path / "after.json")
        assert after["modules"] == {module: _version(module) for module in MODULES}
        for facts in ("contracts", "periods", "ledger", "sla", "invoices"):
            assert _as_before(before[facts], after[facts]) == before[facts], facts
        lines = _as_before(before["invoice_lines"], after["invoice_lines"])
        assert lines == before["invoice_lines"]
        if after["period_states"]["day"] == before["period_states"]["day"]:
            states = dict(after["period_states"]["states"])
            for period, state in before["period_states"]["states"]:
                assert states.get(period) == state, f"period {period}"
    finally:
        conn = connect("postgres")
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.close()
