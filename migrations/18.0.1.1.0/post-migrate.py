"""18.0.1.1.0: e-conomic's exchange rate is kept per invoice (issue 14 §2).

Foreign-currency invoices pulled by earlier versions were posted at Odoo's rate: their bindings
are marked, and the next pass reads e-conomic's base-currency amounts of each once and lists the
moves that differ (``models/sync_invoice/rates.py``). Posted entries are never rewritten.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE economic_invoice_binding b
           SET base_check = TRUE
          FROM account_move m
          JOIN res_company c ON c.id = m.company_id
          JOIN res_currency cc ON cc.id = c.currency_id
         WHERE b.move_id = m.id
           AND b.doc_state = 'booked'
           AND b.currency_code IS NOT NULL
           AND b.currency_code != cc.name
        """
    )
