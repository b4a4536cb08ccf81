"""Portal users of the load test (locust, headless; started by
bench/portal_load.py against a server on 127.0.0.1 only).

BENCH_PORTAL_USERS names a JSON file: a list of ``{"session", "tickets",
"contract", "category"}``, one per logged-in portal user (``contract`` is
null in the database without the product). Each simulated user takes the
next one and, with a second or two between pages, opens its contract page,
its ticket list, one of its tickets, or writes a new ticket (the form, then
its submission)."""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

ACCOUNTS = json.load(open(os.environ["BENCH_PORTAL_USERS"], encoding="utf-8"))
NEXT = itertools.count()
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


class PortalUser(HttpUser):
    wait_time = between(1, 2)

    def on_start(self):
        self.account = ACCOUNTS[next(NEXT) % len(ACCOUNTS)]
        self.client.cookies.set("session_id", self.account["session"])
        self.count = 0

    @task(1)
    def contract_page(self):
        contract = self.account["contract"]
        if contract:
            self.client.get(f"/my/contracts/{contract}", name="contract page")
        else:  # no contracts without the product: its ticket list instead
            self.ticket_list()

    @task(2)
    def ticket_list(self):
        self.client.get("/my/tickets", name="ticket list")

    @task(3)
    def ticket_page(self):
        ticket = random.choice(self.account["tickets"])
        self.client.get(f"/my/ticket/{ticket}", name="ticket page")

    @task(1)
    def submit_ticket(self):
        form = self.client.get("/new/ticket", name="new ticket form")
        found = CSRF.search(form.text or "")
        if not found:
            return
        self.count += 1
        data = {
            "csrf_token": found.group(1),
            "subject": f"The printer jams again ({self.count})",
            "description": "Tray 2 is stuck since this morning.",
            "category": self.account["category"],
        }
        if self.account["contract"]:
            data["contract"] = self.account["contract"]
        with self.client.post(
            "/submitted/ticket",
            data=data,
            name="ticket submission",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in (302, 303) or "/my/ticket/" not in (
                response.headers.get("Location") or ""
            ):
                response.failure(f"not submitted ({response.status_code})")
