"""The screenshots of docs/user-guide.md, taken from the demo database served
on the loopback interface, with headless Chromium driven over its DevTools
protocol. Run by `make docs` (scripts/docs.sh) with Odoo's Python:

    python scripts/screenshots.py --url http://127.0.0.1:8070 --db service_demo \
        --out docs/img
"""

import argparse
import base64
import contextlib
import json
import pathlib
import time

import requests
from chromium import Chromium

# (file, login, path, width, height, CSS selector the page is ready with).
# A path may hold {xmlid}: the id of that demo record.
SHOTS = [
    (
        "dispatcher-tickets-1440.png",
        "admin",
        "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action?view_type=list",
        1440,
        900,
        ".o_list_renderer .o_data_row",
    ),
    (
        "dispatcher-tickets-kanban-400.png",
        "admin",
        "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action?view_type=list",
        400,
        800,
        ".o_view_controller .o_content",
    ),
    (
        "dispatcher-ticket-warning.png",
        "admin",
        "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/"
        "{service_billing.ticket_no_contract}",
        1440,
        900,
        ".o_form_view .o_field_widget",
    ),
    (
        "technician-my-tickets.png",
        "admin",
        "/odoo/action-helpdesk_mgmt.helpdesk_my_tickets_action",
        1440,
        900,
        ".o_kanban_renderer",
    ),
    (
        "account-manager-contracts.png",
        "admin",
        "/odoo/action-service_contract.service_contract_action?view_type=list",
        1440,
        900,
        ".o_list_renderer .o_data_row",
    ),
    (
        "account-manager-contract.png",
        "admin",
        "/odoo/action-service_contract.service_contract_action/"
        "{service_contract.contract_bag_100h}",
        1440,
        900,
        ".o_form_view .o_field_widget",
    ),
    (
        "accountant-billing-runs.png",
        "admin",
        "/odoo/action-service_billing.service_billing_run_action",
        1440,
        900,
        ".o_action_manager .o_view_controller",
    ),
    (
        "accountant-debtors.png",
        "admin",
        "/odoo/action-service_contract.service_contract_period_debtors_action",
        1440,
        900,
        ".o_action_manager .o_view_controller",
    ),
    (
        "customer-contracts.png",
        "douglas",
        "/my/contracts",
        1440,
        900,
        "main",
    ),
    (
        "customer-contract.png",
        "douglas",
        "/my/contracts/{service_contract.contract_bag_100h}",
        1440,
        1200,
        "main",
    ),
]
# The same contract page read by a Spanish-speaking customer (Douglas reads
# the portal in Spanish for these shots; his language is set back after), and
# the KPI dashboard of the manager, on a desktop and a phone. A shot with
# "click" clicks that point of the page once it is ready and takes the page
# it opens (the records behind a figure of the dashboard).
SHOTS += [
    (
        "portal-contract-es-desktop.png",
        "douglas",
        "/my/contracts/{service_contract.contract_bag_100h}",
        1366,
        900,
        "main",
        {"lang": "es_ES"},
    ),
    (
        "portal-contract-es-phone.png",
        "douglas",
        "/my/contracts/{service_contract.contract_bag_100h}",
        390,
        844,
        "main",
        {"lang": "es_ES", "full_page": True},
    ),
    (
        "dashboard-desktop.png",
        "admin",
        "/odoo/dashboards?dashboard_id={service_billing.spreadsheet_dashboard_service_kpi}",
        1366,
        900,
        ".o_spreadsheet_dashboard_action .o-grid",
        {"settle": 20},
    ),
    (
        "dashboard-phone.png",
        "admin",
        "/odoo/dashboards?dashboard_id={service_billing.spreadsheet_dashboard_service_kpi}",
        390,
        844,
        ".o_spreadsheet_dashboard_action .o_mobile_dashboard canvas",
        {"settle": 20},
    ),
    (
        "dashboard-records.png",
        "admin",
        "/odoo/dashboards?dashboard_id={service_billing.spreadsheet_dashboard_service_kpi}",
        1366,
        900,
        ".o_spreadsheet_dashboard_action .o-grid",
        # Deco Addict's hours of the month in the first table.
        {"settle": 20, "click": (590, 218), "opens": ".o_list_view .o_data_row"},
    ),
]
PASSWORDS = {"admin": "admin", "douglas": "douglas"}


def session_cookie(base_url, db, login):
    """The session id of ``login``, logged in over JSON-RPC."""
    response = requests.post(
        f"{base_url}/web/session/authenticate",
        json={"params": {"db": db, "login": login, "password": PASSWORDS[login]}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"{login} cannot log in: {response.json()['error']}")
    return response.cookies["session_id"]


def call(base_url, session, model, method, *args, **kwargs):
    """A method of ``model`` called over JSON-RPC as the session's user."""
    response = requests.post(
        f"{base_url}/web/dataset/call_kw",
        json={
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs,
            }
        },
        cookies={"session_id": session},
        timeout=600,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"{model}.{method}: {response.json()['error']}")
    return response.json()["result"]


def record_id(base_url, session, xmlid):
    module, name = xmlid.split(".")
    return call(
        base_url, session, "ir.model.data", "check_object_reference", module, name
    )[1]


@contextlib.contextmanager
def reading_language(base_url, session, login, lang):
    """``login`` reads the site in ``lang`` (installed if needed), then in
    their own language again."""
    if not lang:
        yield
        return
    lang_ids = call(
        base_url,
        session,
        "res.lang",
        "search",
        [("code", "=", lang), ("active", "=", False)],
        context={"active_test": False},
    )
    if lang_ids:
        wizard = call(
            base_url,
            session,
            "base.language.install",
            "create",
            {"lang_ids": [(6, 0, lang_ids)]},
        )
        call(base_url, session, "base.language.install", "lang_install", [wizard])
    [user] = call(
        base_url, session, "res.users", "search_read", [("login", "=", login)], ["lang"]
    )
    call(base_url, session, "res.users", "write", [user["id"]], {"lang": lang})
    try:
        yield
    finally:
        restored = {"lang": user["lang"]}
        call(base_url, session, "res.users", "write", [user["id"]], restored)


def wait_for(browser, name, selector):
    for _attempt in range(1800):
        if browser.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{name}: the page did not show {selector}")


def take(browser, base_url, session, shot, out):
    name, _login, path, width, height, ready, options = shot
    browser.send("Network.clearBrowserCookies")
    browser.send(
        "Network.setCookie",
        name="session_id",
        value=session,
        url=base_url,
    )
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=width < 768,
    )
    browser.send("Page.navigate", url=base_url + path)
    wait_for(browser, name, ready)
    # Fonts, images and late widgets; a dashboard's figures load after it.
    time.sleep(options.get("settle", 1.5))
    if "click" in options:
        # A figure of the dashboard: a point of the page (x, y), clicked.
        x, y = options["click"]
        for event in ("mouseMoved", "mousePressed", "mouseReleased"):
            browser.send(
                "Input.dispatchMouseEvent",
                type=event,
                x=x,
                y=y,
                button="left",
                clickCount=1,
            )
        wait_for(browser, name, options["opens"])
        # The pointer leaves the page: no tooltip of what it last hovered.
        browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=0, y=height - 1)
        time.sleep(1.5)
    # Transient notices (such as assets rebuilt after an upgrade) are no part
    # of the page.
    browser.evaluate(
        "document.querySelectorAll('.o_notification').forEach((n) => n.remove())"
    )
    capture = {"format": "png"}
    if options.get("full_page"):
        capture.update(captureBeyondViewport=True, clip=full_page_clip(browser, width))
    data = browser.send("Page.captureScreenshot", **capture)["data"]
    (out / name).write_bytes(base64.b64decode(data))
    print(f"{out / name} ({width}x{height})")


def full_page_clip(browser, width):
    """The whole page of a phone, scrolled content included."""
    height = browser.evaluate(
        "Math.max(document.documentElement.scrollHeight, "
        "...[...document.querySelectorAll('.o_content, main')]"
        ".map((e) => e.scrollHeight))"
    )
    return {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument(
        "--only", nargs="*", help="take only these files (all by default)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sessions = {login: session_cookie(args.url, args.db, login) for login in PASSWORDS}
    browser = Chromium(args.chromium)
    try:
        browser.send("Page.enable")
        browser.send("Network.enable")
        for name, login, template, *rest in SHOTS:
            if args.only and name not in args.only:
                continue
            path = template
            while "{" in path:
                xmlid = path[path.index("{") + 1 : path.index("}")]
                path = path.replace(
                    f"{{{xmlid}}}", str(record_id(args.url, sessions["admin"], xmlid))
                )
            options = rest[3] if len(rest) > 3 else {}
            with reading_language(
                args.url, sessions["admin"], login, options.get("lang")
            ):
                # A new language is read from the next login on.
                session = (
                    session_cookie(args.url, args.db, login)
                    if options.get("lang")
                    else sessions[login]
                )
                take(
                    browser,
                    args.url,
                    session,
                    (name, login, path, *rest[:3], options),
                    args.out,
                )
    finally:
        browser.close()


if __name__ == "__main__":
    main()
