"""The add-ons as Odoo shops install OCA add-ons: ``pip wheel`` builds the four
``odoo-addon-*`` wheels (whool), a fresh virtual environment beside Odoo
installs them, and Odoo installs ``service_portal`` from there into a
throwaway database, with an addons path that does not hold this repository."""

import os
import pathlib
import site
import subprocess
import sys
import uuid

import odoo
from odoo.tools import config

from .postgres import connect

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ["service_contract", "service_sla", "service_billing", "service_portal"]


def _run(*command, timeout=600, **kwargs):
    return subprocess.run(
        command, check=True, timeout=timeout, capture_output=True, text=True, **kwargs
    )


def _db_options():
    options = []
    for key in ("db_host", "db_port", "db_user", "db_password"):
        if config[key]:
            options.append(f"--{key.replace('_', '-')}={config[key]}")
    return options


def test_wheels_install_into_a_fresh_environment(tmp_path):
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "venv", str(venv))
    # Beside Odoo: Odoo and the OCA helpdesk wheels of Odoo's environment are
    # seen (with their own .pth files), nothing of this repository.
    odoo_site = [*site.getsitepackages(), str(pathlib.Path(odoo.__file__).parents[1])]
    purelib = _run(
        str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"
    ).stdout.strip()
    (pathlib.Path(purelib) / "odoo-beside.pth").write_text(
        "import site; "
        + "; ".join(f"site.addsitedir({path!r})" for path in odoo_site)
        + "\n"
    )
    _run(str(python), "-m", "pip", "install", "--quiet", "whool")
    dist = tmp_path / "dist"
    _run(
        str(python),
        *("-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"),
        *("--wheel-dir", str(dist)),
        *(str(REPO / addon) for addon in ADDONS),
    )
    wheels = sorted(path.name for path in dist.glob("*.whl"))
    assert [wheel.split("-")[0] for wheel in wheels] == sorted(
        f"odoo_addon_{addon}" for addon in ADDONS
    )
    _run(
        str(python),
        *("-m", "pip", "install", "--quiet", "--no-index"),
        *(str(dist / wheel) for wheel in wheels),
    )
    located = _run(
        str(python),
        "-c",
        "import odoo.addons.service_portal as m, odoo.addons.service_contract as c; "
        "print(m.__file__); print(c.__file__)",
        cwd=tmp_path,
    ).stdout.split()
    assert all(path.startswith(str(venv)) for path in located), located

    addons_path = [
        path
        for path in config["addons_path"].split(",")
        if pathlib.Path(path).resolve() != REPO
    ]
    db = f"service_wheels_{uuid.uuid4().hex[:8]}"
    try:
        result = subprocess.run(
            [
                str(python),
                *("-m", "odoo", "--stop-after-init", "--no-http"),
                *("-d", db, "-i", "service_portal", "--without-demo=all"),
                f"--addons-path={','.join(addons_path)}",
                f"--data-dir={tmp_path / 'data'}",
                "--log-level=warn",
                *_db_options(),
            ],
            timeout=900,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": ""},
            check=False,
        )
        log = result.stdout + result.stderr
        assert result.returncode == 0, log
        assert " ERROR " not in log and " CRITICAL " not in log, log
        conn = connect(db)
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' "
                "AND name = ANY(%s) ORDER BY name",
                [ADDONS],
            )
            assert [name for (name,) in cr.fetchall()] == sorted(ADDONS)
        conn.close()
    finally:
        conn = connect("postgres")
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.close()
