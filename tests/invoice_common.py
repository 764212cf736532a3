"""Common set-up of the invoice tests: DKK active, Danish sales taxes, invoice pull on."""

from odoo import fields

from .sync_common import SyncCase

BINDING = "economic.invoice.binding"


class InvoiceCase(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dkk = cls.env.ref("base.DKK")
        cls.dkk.active = True
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        company = cls.env.company
        Tax = cls.env["account.tax"]
        # the only 25 % sales tax of the company: e-conomic's domestic VAT
        Tax.search(
            [
                *Tax._check_company_domain(company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "in", (25.0, 12.0)),
            ]
        ).write({"active": False})
        cls.tax25 = Tax.create(
            {
                "name": "Salgsmoms 25%",
                "amount": 25.0,
                "type_tax_use": "sale",
                "company_id": company.id,
            }
        )
        cls.tax12 = Tax.create(
            {
                "name": "Salgsmoms 12%",
                "amount": 12.0,
                "type_tax_use": "sale",
                "company_id": company.id,
            }
        )

    def setUp(self):
        super().setUp()
        for entity in ("invoice", "credit_note"):
            self.setting(entity).write({"pull": True, "auto": True})

    # ------------------------------------------------------------------ helpers
    def pull(self, full=False, entities=("invoice", "credit_note")):
        if not full:
            self.backend.last_full_pass = fields.Datetime.now()
        return self.run_pass(entities=list(entities), full=full)

    def inv_binding(self, number):
        return self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("booked_number", "=", number)]
        )

    def move(self, number):
        return self.inv_binding(number).move_id

    def booked(self, number):
        return self.remote("invoices/booked", number)

    def client(self):
        return self.backend._get_client()

    def book_new(self, customer, lines, date=None, **extra):
        """A draft booked in the sandbox as an e-conomic user would; returns the booked
        invoice. ``lines``: (product number, quantity, unit price[, discount])."""
        book_with = extra.pop("bookWithNumber", None)
        with self.client() as client:
            cust = client.customers.get(customer)
            draft = client.invoices.drafts.create(
                {
                    "date": date or fields.Date.to_string(fields.Date.context_today(self.backend)),
                    "currency": extra.pop("currency", "DKK"),
                    "customer": {"customerNumber": customer},
                    "layout": cust.get("layout")
                    or {"layoutNumber": self.admin("GET", "/records/layouts")[0]["layoutNumber"]},
                    "paymentTerms": {
                        "paymentTermsNumber": cust["paymentTerms"]["paymentTermsNumber"]
                    },
                    "recipient": {
                        "name": cust["name"],
                        "vatZone": {"vatZoneNumber": cust["vatZone"]["vatZoneNumber"]},
                    },
                    "lines": [
                        {
                            "lineNumber": i + 1,
                            "sortKey": i + 1,
                            "product": {"productNumber": line[0]},
                            "description": "Line %s" % (i + 1),
                            "quantity": float(line[1]),
                            "unitNetPrice": float(line[2]),
                            "discountPercentage": float(line[3]) if len(line) > 3 else 0,
                        }
                        for i, line in enumerate(lines)
                    ],
                    **extra,
                }
            )
            return client.invoices.book(draft["draftInvoiceNumber"], book_with_number=book_with)

    def new_product(self, number, group, price):
        self.admin(
            "POST",
            "/create",
            {
                "resource": "products",
                "record": {
                    "productNumber": number,
                    "name": "Product %s" % number,
                    "productGroup": {"productGroupNumber": group},
                    "salesPrice": price,
                },
            },
        )

    def assert_totals(self, move, record):
        """Net, VAT and gross equal e-conomic's to the cent. e-conomic's rounding amount is
        one explicit line, counted in Odoo's untaxed amount (as Odoo's own cash rounding)."""
        sign = -1 if move.move_type == "out_refund" else 1
        rounding = move.invoice_line_ids.filtered(lambda line: line.name == "e-conomic rounding")
        self.assertEqual(
            round(sum(rounding.mapped("price_subtotal")) * sign, 2),
            round(float(record.get("roundingAmount") or 0), 2),
        )
        self.assertEqual(
            (
                round((move.amount_untaxed - sum(rounding.mapped("price_subtotal"))) * sign, 2),
                round(move.amount_tax * sign, 2),
                round(move.amount_total * sign, 2),
            ),
            (
                round(float(record["netAmount"]), 2),
                round(float(record["vatAmount"]), 2),
                round(float(record["grossAmount"]), 2),
            ),
            "Odoo's totals of %s are e-conomic's to the cent" % move.name,
        )
