from collections import defaultdict

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.resource.models.utils import Intervals


def _aware(value):
    return pytz.utc.localize(value)


def _hours(intervals):
    return sum((stop - start).total_seconds() for start, stop, _r in intervals) / 3600


class ServiceVisit(models.Model):
    """Dispatch: the skills a visit needs, the technicians who hold them and
    are free at its slot (best first), and the warning when a technician is
    booked twice."""

    _inherit = "service.visit"

    required_skill_ids = fields.Many2many(
        "hr.skill",
        "service_visit_hr_skill_rel",
        "visit_id",
        "skill_id",
        string="Required Skills",
        compute="_compute_required_skill_ids",
        store=True,
        readonly=False,
        help="From the ticket's category, the equipment's product and the "
        "maintenance plan.",
    )
    suggested_user_ids = fields.Many2many(
        "res.users",
        string="Suggested Technicians",
        compute="_compute_suggested_user_ids",
        help="Technicians who hold the required skills and are free at the "
        "planned slot (working calendar, time off, other visits), best first: "
        "most skills matched, then most free hours.",
    )
    overlap_warning = fields.Text(compute="_compute_overlap_warning")

    @api.depends(
        "ticket_id.category_id.required_skill_ids",
        "equipment_ids.product_id.required_skill_ids",
        "ticket_id.maintenance_plan_id.required_skill_ids",
    )
    def _compute_required_skill_ids(self):
        for visit in self:
            ticket = visit.ticket_id
            visit.required_skill_ids = (
                ticket.category_id.required_skill_ids
                | visit.equipment_ids.product_id.required_skill_ids
                | ticket.maintenance_plan_id.required_skill_ids
            )

    # ------------------------------------------------------------------
    # Suggestions
    # ------------------------------------------------------------------
    @api.model
    def _technician_domain(self, companies):
        """Technicians: helpdesk users with an employee in the companies."""
        group = self.env.ref("helpdesk_mgmt.group_helpdesk_user_own")
        return [
            ("user_id.groups_id", "=", group.id),
            ("company_id", "in", companies.ids),
        ]

    def _busy_intervals(self, users, start, end):
        """``{user id: [(start, end, visit id)]}``: the visits of ``users``
        (not cancelled) that meet ``[start, end)``, in one query."""
        rows = (
            self.env["service.visit"]
            .sudo()
            .search_fetch(
                [
                    ("state", "!=", "cancelled"),
                    ("planned_start", "<", end),
                    ("planned_end", ">", start),
                    ("user_ids", "in", users.ids),
                ],
                ["planned_start", "planned_end", "user_ids", "name"],
            )
        )
        busy = defaultdict(list)
        for other in rows:
            for user in other.user_ids:
                busy[user.id].append((other.planned_start, other.planned_end, other))
        return busy

    @api.depends("planned_start", "planned_end", "required_skill_ids", "company_id")
    def _compute_suggested_user_ids(self):
        visits = self.filtered(
            lambda v: (
                v.planned_start
                and v.planned_end
                and v.planned_end > v.planned_start
                and v.company_id
            )
        )
        (self - visits).suggested_user_ids = False
        if not visits:
            return
        Employee = self.env["hr.employee"].sudo()
        Users = self.env["res.users"]
        employees = Employee.search_fetch(
            self._technician_domain(visits.company_id),
            ["name", "user_id", "resource_id", "resource_calendar_id", "company_id"],
        )
        # One read each of the resources, calendars and attendances that the
        # calendars' own computations then find in the cache.
        employees.resource_id.mapped("tz")
        employees.resource_calendar_id.attendance_ids.mapped("hour_from")
        start = min(visits.mapped("planned_start"))
        end = max(visits.mapped("planned_end"))
        skills = dict(
            self.env["hr.employee.skill"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("skill_id", "in", visits.required_skill_ids.ids),
                ],
                ["employee_id"],
                ["skill_id:array_agg"],
            )
        )
        work = {}
        for calendar in employees.resource_calendar_id:
            team = employees.filtered(lambda e, c=calendar: e.resource_calendar_id == c)
            work.update(
                calendar._work_intervals_batch(
                    _aware(start), _aware(end), resources=team.resource_id
                )
            )
        busy = self._busy_intervals(employees.user_id, start, end)
        for visit in visits:
            visit.suggested_user_ids = Users.browse(
                visit._rank_technicians(employees, skills, work, busy)
            )

    def _rank_technicians(self, employees, skills, work, busy):
        """Ids of the technicians of ``employees`` who can take this visit,
        best first."""
        required = set(self.required_skill_ids.ids)
        slot_start, slot_end = _aware(self.planned_start), _aware(self.planned_end)
        slot = Intervals([(slot_start, slot_end, self.env["resource.resource"])])
        ranked = []
        for employee in employees:
            if employee.company_id != self.company_id:
                continue
            matched = len(required & set(skills.get(employee, [])))
            if required and not matched:
                continue
            taken = Intervals(
                [
                    (_aware(s), _aware(e), self.env["resource.resource"])
                    for s, e, other in busy.get(employee.user_id.id, [])
                    if other.id != self._origin.id
                ]
            )
            free = _hours(
                (work.get(employee.resource_id.id, Intervals()) & slot) - taken
            )
            if free > 0:
                ranked.append((-matched, -free, employee.name, employee.user_id.id))
        return [user_id for *_key, user_id in sorted(ranked)]

    def action_assign_suggested(self):
        """Assigns the best suggested technician to each visit."""
        for visit in self:
            if not visit.suggested_user_ids:
                raise UserError(
                    self.env._(
                        "No technician with the required skills is free at the "
                        "slot of %s.",
                        visit.name,
                    )
                )
            visit.user_ids = [Command.link(visit.suggested_user_ids[0].id)]
        return True

    # ------------------------------------------------------------------
    # Overlaps
    # ------------------------------------------------------------------
    @api.depends("planned_start", "planned_end", "user_ids", "state")
    def _compute_overlap_warning(self):
        visits = self.filtered(
            lambda v: (
                v.planned_start
                and v.planned_end
                and v.user_ids
                and v.state != "cancelled"
            )
        )
        (self - visits).overlap_warning = False
        if not visits:
            return
        busy = self._busy_intervals(
            visits.user_ids,
            min(visits.mapped("planned_start")),
            max(visits.mapped("planned_end")),
        )
        for visit in visits:
            lines = [
                self.env._(
                    "%(technician)s has another visit at that time: %(visit)s, "
                    "from %(start)s to %(end)s.",
                    technician=user.name,
                    visit=other.name,
                    start=fields.Datetime.context_timestamp(self, start).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    end=fields.Datetime.context_timestamp(self, end).strftime("%H:%M"),
                )
                for user in visit.user_ids
                for start, end, other in busy.get(user.id, [])
                if other.id != visit._origin.id
                and start < visit.planned_end
                and end > visit.planned_start
            ]
            visit.overlap_warning = "\n".join(lines) or False
