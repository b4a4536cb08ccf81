from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import UserError

# Set while the product itself stores figures it keeps (never from a request).
_WRITING_FIGURES = ContextVar("service_writing_figures", default=False)


class ServiceComputedFiguresMixin(models.AbstractModel):
    """Figures the product computes (consumption, coverage, SLA results,
    margins...) cannot be written by anyone, through any route or RPC: the
    ledger and the clocks are their only source. A model lists them in
    ``_computed_figures``; the product's own bookkeeping stores them inside
    ``_writing_computed_figures``."""

    _name = "service.computed.figures.mixin"
    _description = "Figures Computed by the Product"

    def _computed_figures(self):
        """Names of the fields of this model that only the product computes
        (modules add theirs with ``super()``)."""
        return set()

    @contextmanager
    def _writing_computed_figures(self):
        token = _WRITING_FIGURES.set(True)
        try:
            yield
        finally:
            _WRITING_FIGURES.reset(token)

    def _check_no_computed_figures(self, names):
        if _WRITING_FIGURES.get():
            return
        written = self._computed_figures() & set(names)
        if written:
            labels = ", ".join(
                sorted(
                    self._fields[name]._description_string(self.env) for name in written
                )
            )
            raise UserError(
                self.env._(
                    "These figures are computed and cannot be written: %(fields)s.",
                    fields=labels,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_computed_figures(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_no_computed_figures(vals)
        return super().write(vals)
