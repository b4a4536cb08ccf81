"""Every test of the repository runs: a skipped test fails the session.

Odoo skips its browser tours when it cannot start Chromium; a green run with a
skipped tour would hide that the portal was never driven by a browser.
"""

import pytest


def _skipped_reports(config):
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return reporter.stats.get("skipped", []) if reporter else []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped_reports(session.config) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _skipped_reports(config)
    if not skipped:
        return
    terminalreporter.section("skipped tests fail the run", red=True)
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        terminalreporter.line(f"SKIPPED {report.nodeid}: {reason}", red=True)
