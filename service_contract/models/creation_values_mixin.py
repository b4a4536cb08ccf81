from odoo import api, models


class ServiceCreationValuesMixin(models.AbstractModel):
    """Stored related fields computed at creation (``precompute=True``) one
    step away from a many-to-one of the values, such as a ticket's
    commercial partner (``partner_id.commercial_partner_id``), are read off
    the creation values. Odoo would otherwise build a draft record of all the
    values and compute them on it (close to a millisecond for a ticket made
    from an e-mail)."""

    _name = "service.creation.values.mixin"
    _description = "Creation Values of Related Fields"

    @api.model
    def _add_precomputed_values(self, vals_list):
        for name, field in self._fields.items():
            path = (field.related or "").split(".") if field.precompute else []
            if len(path) != 2:
                continue
            first, second = path
            # a computed many-to-one has no value yet: Odoo's draft record
            # computes it first
            if self._fields[first].type != "many2one" or self._fields[first].compute:
                continue
            todo = [vals for vals in vals_list if name not in vals]
            # as Odoo computes the field (as the superuser by default)
            targets = (
                self.env[self._fields[first].comodel_name]
                .sudo(field.compute_sudo)
                .browse({vals[first] for vals in todo if vals.get(first)})
            )
            for vals in todo:
                value = targets.browse(vals.get(first) or ())[second]
                vals[name] = field.convert_to_write(value, self)
        return super()._add_precomputed_values(vals_list)
