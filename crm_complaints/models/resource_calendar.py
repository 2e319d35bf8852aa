from odoo import api, models

# What a calendar's working time is made of, for the SLA clock
SLA_CALENDAR_FIELDS = ("attendance_ids", "tz", "flexible_hours", "hours_per_day", "full_time_required_hours")


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        """Working hours edited in place: the open complaints counted on them are planned again (their
        deadlines and the hours used at resolution are then counted on the same hours)."""
        result = super().write(vals)
        if any(name in vals for name in SLA_CALENDAR_FIELDS):
            self.env["crm.complaint"]._get_open_on_calendars(self)._sla_replan()
        return result


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    def _crm_complaint_scope(self):
        """(calendars, companies, everywhere) whose open complaints these time off stop (see
        crm.complaint._get_sla_leave_domain): a calendar's own time off, or a public holiday (time off without
        a calendar) of a company, of every company without one. An employee's own time off (with a resource)
        never stops the clock."""
        leaves = self.sudo().filtered(lambda leave: not leave.resource_id and leave.time_type == "leave")
        public = leaves.filtered(lambda leave: not leave.calendar_id)
        return leaves.calendar_id, public.company_id, any(not leave.company_id for leave in public)

    def _crm_complaint_replan(self, calendars, companies, everywhere):
        Complaint = self.env["crm.complaint"]
        complaints = Complaint._get_open_on_calendars(calendars) if calendars else Complaint.sudo()
        if everywhere or companies:
            complaints |= Complaint._get_open_on_calendars(
                None, companies=self.env["res.company"] if everywhere else companies
            )
        complaints._sla_replan()

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._crm_complaint_replan(*leaves._crm_complaint_scope())
        return leaves

    def write(self, vals):
        calendars, companies, everywhere = self._crm_complaint_scope()
        result = super().write(vals)
        after = self._crm_complaint_scope()
        self._crm_complaint_replan(calendars | after[0], companies | after[1], everywhere or after[2])
        return result

    def unlink(self):
        scope = self._crm_complaint_scope()
        result = super().unlink()
        self.browse()._crm_complaint_replan(*scope)
        return result
