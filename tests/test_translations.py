"""Every text of the four add-ons exists in the languages of the companies
the product serves, each translation file loads, and what a Polish or a
Russian customer reads (the portal contract page, the status report) has no
English sentence of ours left."""

import re
from functools import cache
from pathlib import Path

import polib
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.service_contract.tests.common import ServiceContractCase

MODULES = ("service_contract", "service_sla", "service_billing", "service_portal")
LANGUAGES = {"es": "es_ES", "pl": "pl_PL", "ru": "ru_RU", "it": "it_IT"}
# What separates the literal parts of a term: markup and placeholders.
NON_LITERAL = re.compile(r"<[^>]*>|%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")


def po_file(module, lang):
    return polib.pofile(str(Path(get_module_path(module), "i18n", f"{lang}.po")))


@cache
def sentence_patterns(modules):
    """A pattern per English sentence of the modules' templates and code (a
    term with two words or more of text), matching it once rendered."""
    patterns = []
    for module in modules:
        for entry in polib.pofile(
            str(Path(get_module_path(module), "i18n", f"{module}.pot"))
        ):
            parts = [" ".join(part.split()) for part in NON_LITERAL.split(entry.msgid)]
            literal = " ".join(part for part in parts if part)
            if len(re.findall(r"[A-Za-z]{2,}", literal)) < 3:
                continue
            patterns.append(
                re.compile(
                    r"[\s\S]{0,300}?".join(
                        re.escape(part).replace(r"\ ", r"\s+") for part in parts if part
                    )
                )
            )
    return patterns


class TranslatedCase:
    def activate(self, code):
        self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"].search(
            [("name", "in", MODULES)]
        )._update_translations(filter_lang=[code])

    def assertNoEnglish(self, english, translated, patterns, label):
        english_hits = [p for p in patterns if p.search(english)]
        self.assertTrue(english_hits, f"{label}: the English text was recognised")
        left = [p.pattern for p in english_hits if p.search(translated)]
        self.assertFalse(left, f"{label}: English sentences left: {left[:5]}")


@tagged("post_install", "-at_install")
class TestTranslations(TranslatedCase, ServiceContractCase):
    def test_every_term_is_translated(self):
        for module in MODULES:
            terms = {
                source
                for _module, _type, _name, _res_id, source, _value, _comments in (
                    TranslationModuleReader(self.env.cr, [module])
                )
                if source and any(char.isalpha() for char in source)
            }
            for lang in LANGUAGES:
                with self.subTest(module=module, lang=lang):
                    translated = {
                        entry.msgid
                        for entry in po_file(module, lang).translated_entries()
                    }
                    missing = sorted(terms - translated)
                    self.assertFalse(
                        missing,
                        f"{module}/i18n/{lang}.po lacks {len(missing)} terms: "
                        f"{missing[:10]}",
                    )

    def test_translations_load(self):
        Contract = self.env["service.contract"]
        english = Contract.fields_get(["allowance_type"])["allowance_type"]
        for code in LANGUAGES.values():
            with self.subTest(lang=code):
                self.activate(code)
                field = Contract.with_context(lang=code).fields_get(["allowance_type"])[
                    "allowance_type"
                ]
                self.assertNotEqual(field["string"], english["string"])
                self.assertNotEqual(field["selection"], english["selection"])

    def test_sla_priorities_in_the_readers_language(self):
        """The SLA targets name the ticket's priorities as the ticket does, in
        the reader's language (the portal contract page lists them)."""
        self.activate("es_ES")
        self.env["ir.module.module"].search(
            [("name", "=", "helpdesk_mgmt")]
        )._update_translations(filter_lang=["es_ES"])

        def labels(model, lang):
            fields = self.env[model].with_context(lang=lang).fields_get(["priority"])
            return fields["priority"]["selection"]

        spanish = labels("service.sla.policy.line", "es_ES")
        self.assertEqual(spanish, labels("helpdesk.ticket", "es_ES"))
        self.assertNotEqual(spanish, labels("service.sla.policy.line", "en_US"))

    def test_status_report_in_the_readers_language(self):
        contract = self.create_contract(
            date_start=self.today - relativedelta(months=2),
            report_frequency="monthly",
            report_partner_ids=[Command.set([self.contact.id])],
        )
        template = self.env.ref("service_contract.mail_template_contract_status_report")
        patterns = sentence_patterns(MODULES)
        Report = self.env["service.contract.status.report"]
        date_from, date_to = Report._report_period(contract, self.today)
        report = Report.create(
            {
                "contract_id": contract.id,
                "partner_id": self.contact.id,
                "date_from": date_from,
                "date_to": date_to,
            }
        )

        def render(lang):
            self.contact.lang = lang
            return template._render_field("body_html", report.ids, compute_lang=True)[
                report.id
            ]

        english = render("en_US")
        for code in ("pl_PL", "ru_RU"):
            with self.subTest(lang=code):
                self.activate(code)
                self.assertNoEnglish(english, render(code), patterns, code)


@tagged("post_install", "-at_install")
class TestTranslatedPortal(TranslatedCase, HttpCase, ServiceContractCase):
    def test_contract_page_in_the_readers_language(self):
        contract = self.create_contract()
        patterns = sentence_patterns(MODULES)
        pages = {}
        for code in ("en_US", "pl_PL", "ru_RU"):
            if code != "en_US":
                self.activate(code)
            user = new_test_user(
                self.env,
                login=f"reader_{code}",
                groups="base.group_portal",
                partner_id=self.env["res.partner"]
                .create(
                    {
                        "name": f"Reader {code}",
                        "parent_id": self.customer.id,
                        "lang": code,
                    }
                )
                .id,
                lang=code,
            )
            self.authenticate(user.login, user.login)
            pages[code] = self.url_open(f"/my/contracts/{contract.id}").text
        for code in ("pl_PL", "ru_RU"):
            with self.subTest(lang=code):
                self.assertNoEnglish(pages["en_US"], pages[code], patterns, code)
