from datetime import datetime, time

import pytz
from dateutil.relativedelta import TU, relativedelta

from odoo import Command

from .test_equipment import EquipmentCase

TZ = "Europe/Brussels"


class VisitCase(EquipmentCase):
    """Technicians with skills and a Brussels working calendar (Monday to
    Friday, 8-12 and 13-17), a chiller with the refrigeration skill, and
    slots on the next working Tuesday (never today: the tests run on any day)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Field technicians", "tz": TZ}
        )
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Trades",
                "skill_ids": [
                    Command.create({"name": "Refrigeration"}),
                    Command.create({"name": "Electrical"}),
                    Command.create({"name": "Plumbing"}),
                ],
                "skill_level_ids": [
                    Command.create({"name": "Certified", "level_progress": 100})
                ],
            }
        )
        skills = {skill.name: skill for skill in cls.skill_type.skill_ids}
        cls.refrigeration = skills["Refrigeration"]
        cls.electrical = skills["Electrical"]
        cls.plumbing = skills["Plumbing"]
        cls.chiller_product = cls.env["product.product"].create(
            {
                "name": "Chiller CH-40",
                "required_skill_ids": [Command.set(cls.refrigeration.ids)],
            }
        )
        cls.chiller = cls.create_equipment(
            "Chiller", "CH-40-7", product_id=cls.chiller_product.id
        )
        cls.contract = cls.create_contract(
            name="Chiller maintenance", equipment_ids=[cls.chiller.id]
        )
        cls.tuesday = cls.today + relativedelta(days=1, weekday=TU)

    @classmethod
    def create_technician(cls, name, skills=(), calendar=None):
        user = cls.env["res.users"].create(
            {
                "name": name,
                "login": name.lower().replace(" ", "."),
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "tz": TZ,
                "groups_id": [
                    Command.link(
                        cls.env.ref("helpdesk_mgmt.group_helpdesk_user_own").id
                    ),
                    Command.link(
                        cls.env.ref("hr_timesheet.group_hr_timesheet_user").id
                    ),
                ],
            }
        )
        cls.env["hr.employee"].create(
            {
                "name": name,
                "user_id": user.id,
                "resource_calendar_id": (calendar or cls.calendar).id,
                "tz": TZ,
                "employee_skill_ids": [
                    Command.create(
                        {
                            "skill_id": skill.id,
                            "skill_type_id": cls.skill_type.id,
                            "skill_level_id": cls.skill_type.skill_level_ids.id,
                        }
                    )
                    for skill in skills
                ],
            }
        )
        return user

    @classmethod
    def at(cls, day, hour, minute=0):
        """A naive UTC datetime for ``hour`` o'clock in Brussels on ``day``."""
        local = pytz.timezone(TZ).localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def plan_visit(self, ticket=None, start=9, end=12, day=None, **values):
        day = day or self.tuesday
        ticket = ticket or self.open_ticket(
            name="Chiller stopped", equipment_id=self.chiller.id
        )
        return self.env["service.visit"].create(
            {
                "ticket_id": ticket.id,
                "planned_start": self.at(day, start),
                "planned_end": self.at(day, end),
                **values,
            }
        )
