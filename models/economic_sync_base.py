"""``economic.sync.base``: what the runner and every entity module share (no entity here).

Committing a finished page, telling the scheduled action's progress, turning an e-conomic error
into the text users read, posting a page's chatter notes in one batch.
"""

import json
import logging
import threading

from odoo import fields, models, tools

from ..economic_client import EconomicError
from .economic_sync_state import UnexpectedRecordError

_logger = logging.getLogger(__name__)


class EconomicSyncBase(models.AbstractModel):
    _name = "economic.sync.base"
    _description = "e-conomic Sync: shared helpers"

    def _economic_test_mode(self):
        return bool(
            tools.config["test_enable"]
            or self.env.registry.in_test_mode()
            or getattr(threading.current_thread(), "testing", False)
        )

    def _commit(self, state):
        """Commit a finished batch (not in tests: the test transaction must stay whole), then
        forget every record the page read: nothing of a finished page stays cached, so the
        memory of a pass does not grow with the number of records."""
        if state.dry_run:
            return
        state.flush_logs()
        self.env.flush_all()
        if not state.test_mode:
            self.env.cr.commit()
            self.env.invalidate_all()

    def _error_text(self, backend, error):
        if isinstance(error, EconomicError):
            parts = [error.message or str(error)]
            codes = [error.error_code] if error.error_code else []
            for fe in error.field_errors or ():
                parts.append("%s: %s" % (fe.get("path"), fe.get("message")))
                if fe.get("error_code") and fe["error_code"] not in codes:
                    codes.append(fe["error_code"])
            if codes:
                parts.append("errorCode: %s" % ", ".join(codes))
            if error.log_id:
                parts.append("logId: %s" % error.log_id)
            if error.status:
                parts.append("HTTP %s" % error.status)
            return backend._scrub_tokens("\n".join(p for p in parts if p))
        if isinstance(error, UnexpectedRecordError):
            return self._unexpected_text()
        return backend._scrub_tokens(str(error))

    def _unexpected_text(self):
        """What users read of an error nobody foresaw: never the database's or Python's own
        words (those go to the server log with the details)."""
        return self.env._(
            "An unexpected error stopped this record (written to the server log at %(time)s "
            "UTC with its details). Nothing was lost: the next pass tries it again, or replay "
            "this line once the cause is fixed.",
            time=fields.Datetime.to_string(fields.Datetime.now()),
        )

    def _notify(self, state, done, remaining=1):
        """Progress of a pass run by the connection's scheduled action (``ir.cron``), per page:
        records done so far; ``remaining`` stays 1 while the pass goes on (the total is not
        known before the last page) and is 0 at its end, so the cron counts the run complete;
        a pass that gives way at its time budget ends its run with work remaining, and Odoo
        runs the job again soon (docs/ENGINE.md, "Passes over several runs").

        Written through the pass's own transaction, which must be the scheduled action's
        (``economic.backend._cron_run_connection`` runs the pass in it): the cron worker
        updates the same ``ir_cron_progress`` row at the end of the job, and a write committed
        by another transaction in between makes that update fail (serialization)."""
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @staticmethod
    def _json(values):
        return json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)

    @staticmethod
    def _split(records, size):
        for start in range(0, len(records), size):
            yield records[start : start + size]

    @staticmethod
    def _with_defaults(model, vals_list):
        """The default values of a batch computed once, not once per record (some defaults run
        a query each, e.g. account's ``display_invoice_template_pdf_report_id``)."""
        if len(vals_list) < 2:
            return vals_list
        given = set().union(*vals_list)
        names = [n for n, f in model._fields.items() if n not in given and f.default is not None]
        defaults = model.default_get(names)
        return [dict(defaults, **vals) for vals in vals_list]

    def _post_notes(self, notes):
        """Chatter notes of a page's changed records (``{(model, id): [fields]}``): one
        ``_message_log_batch`` per model (no notification, no follower) instead of one post
        each."""
        by_model = {}
        for (model, res_id), names in notes.items():
            by_model.setdefault(model, {})[res_id] = self.env._(
                "Updated from e-conomic: %(fields)s", fields=", ".join(names)
            )
        for model, bodies in by_model.items():
            if not hasattr(self.env[model], "_message_log_batch"):
                continue
            try:
                with self.env.cr.savepoint():
                    self.env[model].sudo().browse(list(bodies))._message_log_batch(bodies=bodies)
            except Exception:  # noqa: BLE001 - a note must not stop the sync
                _logger.info(
                    "e-conomic: could not log %d chatter notes", len(bodies), exc_info=True
                )
