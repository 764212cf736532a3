"""The day's sales to e-conomic from posted entries of a sales journal (issue 18 §1), on a Danish
company: a day of two tax rates and two payment accounts as one draft invoice to the cash
customer (a line per tax, totals equal to Odoo's, sent once), as one balanced voucher of
cash-journal drafts, a late entry amending the draft, a booked draft corrected by one more
draft, write-back off, the cash customer missing (the preview says so, the button creates it),
a mapping missing (the day's error, nothing sent), a lost answer (one draft)."""

from decimal import Decimal

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .shop_common import CASH_CUSTOMER, DAILY, ENTITY, ShopCase

D = Decimal


@tagged("post_install", "-at_install")
class TestSyncShopInvoice(ShopCase):
    def test_day_as_one_draft_invoice_then_nothing_more(self):
        move = self.book_sales()
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        draft = drafts[0]
        posts = self.posts("/invoices/drafts")
        self.assertEqual(len(posts), 1)
        self.assertTrue(posts[0]["idempotency_key"])
        # one line per tax, on the tax's product, totals Odoo's to the cent
        self.assertEqual(
            sorted(
                (line["product"]["productNumber"], D(str(line["totalNetAmount"])))
                for line in draft["lines"]
            ),
            [("1", D("800.00")), ("EXPORT-1", D("100.00"))],
        )
        self.assertEqual(D(str(draft["netAmount"])), D("900.00"))
        self.assertEqual(D(str(draft["vatAmount"])), D("200.00"))
        self.assertEqual(D(str(draft["grossAmount"])), D(str(move.amount_total)))
        self.assertEqual(draft["date"], self.day_string())
        self.assertEqual(draft["customer"]["customerNumber"], CASH_CUSTOMER)
        self.assertIn(self.day_string(), draft["references"]["other"])
        self.assertIn("Kasseapparat", draft["references"]["other"])
        day = self.days()
        self.assertEqual(len(day), 1)
        self.assertEqual((day.state, day.day, day.shop_name), ("draft", self.day, "Kasseapparat"))
        self.assertEqual((day.net_amount, day.vat_amount, day.gross_amount), (900.0, 200.0, 1100.0))
        self.assertEqual(day.payment_amount, 1100.0)
        self.assertEqual(day._sources(), ("account.move,%s" % move.id,))
        doc = day.document_ids
        self.assertEqual(
            (doc.kind, doc.doc_state, doc.draft_number),
            ("invoice", "draft", draft["draftInvoiceNumber"]),
        )
        self.assertEqual(doc.gross_amount, 1100.0)
        self.assertFalse(self.env["economic.create.attempt"].search([("entity", "=", ENTITY)]))
        logs = self.logs(entity=ENTITY, operation="create")
        self.assertEqual(len(logs), 1, "one line per day")
        self.assertIn(str(draft["draftInvoiceNumber"]), logs.message)
        self.assertIn("900.00", logs.message)
        # sent again: still one
        self.clear_requests()
        self.push()
        self.push()
        self.assertFalse(self.writes("/invoices/drafts"))
        self.assertEqual(len(self.drafts()), 1)
        self.assertEqual(len(self.logs(entity=ENTITY, operation="create")), 1)

    def test_returns_are_negative_lines_per_tax(self):
        self.book_sales(sales=(("800", "25"), ("100", "0"), ("-80", "25")), card="0")
        self.push()
        lines = self.drafts()[0]["lines"]
        self.assertEqual(len(lines), 3)
        returned = [line for line in lines if D(str(line["quantity"])) < 0]
        self.assertEqual(len(returned), 1)
        self.assertEqual(
            (D(str(returned[0]["quantity"])), D(str(returned[0]["unitNetPrice"]))),
            (D(-1), D("80.00")),
        )
        self.assertEqual(returned[0]["product"]["productNumber"], "1")
        self.assertIn("returned", returned[0]["description"])
        draft = self.drafts()[0]
        self.assertEqual(D(str(draft["netAmount"])), D("820.00"))
        self.assertEqual(D(str(draft["grossAmount"])), D("1000.00"))
        self.assertEqual(self.days().gross_amount, 1000.0)

    def test_per_product_lines_price_the_quantities(self):
        self.backend.shop_grouping = "product"
        helmet, shirt = self.product("100"), self.product("1")
        self.book_sales(
            sales=(
                ("100", "25", helmet, 3),
                ("90", "25", shirt, 1),
                ("-30", "25", shirt, 1),
                ("100", "0", self.product("EXPORT-1"), 2),
            ),
            card="0",
        )
        self.push()
        draft = self.drafts()[0]
        by_product = {}
        for line in draft["lines"]:
            by_product.setdefault(line["product"]["productNumber"], []).append(
                (D(str(line["quantity"])), D(str(line["unitNetPrice"])))
            )
        # 3 helmets for 100.00: 2 at 33.33 and 1 at 33.34 (prices of 2 decimals, total exact)
        self.assertEqual(by_product["100"], [(D(2), D("33.33")), (D(1), D("33.34"))])
        self.assertEqual(sorted(by_product["1"]), [(D(-1), D("30.00")), (D(1), D("90.00"))])
        self.assertEqual(by_product["EXPORT-1"], [(D(2), D("50.00"))])
        self.assertEqual(D(str(draft["netAmount"])), D("260.00"))
        # a sale without a product cannot be one line per product: the day's error
        self.book_sales(sales=(("10", "25"),), card="0")
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes("/invoices/drafts"))
        self.assertIn("without a product", self.days().last_error)

    def test_vat_rounded_otherwise_by_economic_is_said(self):
        self.book_sales(sales=(("0.10", "25"),), card="0")
        self.book_sales(sales=(("0.10", "25"),), card="0")
        self.push()
        day = self.days()
        # Odoo: 0.03 + 0.03 on two entries; e-conomic: 25 % of 0.20 on one line
        self.assertEqual(day.vat_amount, 0.06)
        self.assertEqual(D(str(self.drafts()[0]["vatAmount"])), D("0.05"))
        self.assertIn("0.06", day.note)
        self.assertIn("0.05", day.note)
        self.assertIn("0.06", self.logs(entity=ENTITY, operation="create").message)

    def test_late_entry_amends_the_draft(self):
        self.book_sales()
        self.push()
        draft = self.drafts()[0]
        late = self.book_sales(sales=(("40", "25"),), card="0")
        self.clear_requests()
        self.push()
        self.assertFalse(self.posts("/invoices/drafts"), "no new draft")
        puts = [r for r in self.requests_log() if r["method"] == "PUT"]
        self.assertEqual(
            [r["path"] for r in puts], ["/invoices/drafts/%s" % draft["draftInvoiceNumber"]]
        )
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        self.assertEqual(D(str(drafts[0]["grossAmount"])), D("1150.00"))
        day = self.days()
        self.assertIn("account.move,%s" % late.id, day._sources())
        self.assertEqual(day.gross_amount, 1150.0)
        self.assertEqual(len(day.document_ids), 1)
        self.assertTrue(self.logs(entity=ENTITY, operation="update"))

    def test_booked_draft_gets_one_correcting_draft(self):
        self.book_sales()
        self.push()
        draft = self.drafts()[0]
        with self.backend._get_client() as client:
            booked = client.invoices.book(draft["draftInvoiceNumber"])
        self.book_sales(sales=(("40", "25"),), card="0")
        self.clear_requests()
        self.push()
        day = self.days()
        first, correction = day.document_ids.sorted("number")
        self.assertEqual(
            (first.doc_state, first.booked_number), ("booked", booked["bookedInvoiceNumber"])
        )
        self.assertEqual((correction.number, correction.doc_state), (2, "draft"))
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1, "one correcting draft")
        self.assertEqual(D(str(drafts[0]["netAmount"])), D("40.00"))
        self.assertEqual(D(str(drafts[0]["grossAmount"])), D("50.00"))
        self.assertTrue(drafts[0]["references"]["other"].endswith("#2"))
        log = self.logs(entity=ENTITY, operation="create").filtered(
            lambda l: "#2" in (l.message or "")
        )
        self.assertEqual(len(log), 1)
        self.assertIn("corrects", log.message)
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes("/invoices/drafts"))

    def test_write_back_off_sends_nothing(self):
        self.book_sales()
        self.backend.write_back = False
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes("/"))
        self.assertFalse(self.days())
        self.assertFalse(self.drafts())

    def test_cash_customer_missing_preview_says_so_and_the_button_creates_it(self):
        self.admin("POST", "/delete", {"resource": "customers", "key": CASH_CUSTOMER})
        self.book_sales()
        self.clear_requests()
        lines = self.engine._preview_push(self.backend, [ENTITY])
        self.assertFalse(self.writes("/"))
        self.assertFalse(self.days(), "the preview writes nothing")
        missing = [line for line in lines if str(CASH_CUSTOMER) in (line["message"] or "")]
        self.assertTrue(missing, lines)
        self.assertIn("Create Cash Customer", missing[0]["message"])
        self.push()
        self.assertFalse(self.posts("/invoices/drafts"))
        self.assertEqual(self.days().state, "error")
        self.assertIn(str(CASH_CUSTOMER), self.days().last_error)
        # write-back off: the button refuses; on: it creates the customer, once
        self.backend.write_back = False
        with self.assertRaises(UserError):
            self.backend.action_create_cash_customer()
        self.backend.write_back = True
        self.backend.action_create_cash_customer()
        customer = self.remote("customers", CASH_CUSTOMER)
        self.assertEqual(customer["customerNumber"], CASH_CUSTOMER)
        self.assertEqual(customer["currency"], "DKK")
        self.backend.action_create_cash_customer()  # exists: nothing more
        self.push()
        self.assertEqual(len(self.drafts()), 1)
        self.assertEqual(self.days().state, "draft")

    def test_preview_lists_the_day_with_its_totals_per_tax(self):
        self.book_sales()
        self.clear_requests()
        lines = self.engine._preview_push(self.backend, [ENTITY])
        self.assertFalse(self.writes("/"))
        self.assertFalse(self.days())
        creates = [line for line in lines if line["operation"] == "create"]
        self.assertEqual(len(creates), 1, lines)
        message = creates[0]["message"]
        self.assertIn("S-DK-25", message)
        self.assertIn("800.00", message)
        self.assertIn("200.00", message)
        self.assertIn("1100.00", message)

    def test_mapping_missing_is_the_days_error_and_nothing_is_sent(self):
        self.backend.shop_tax_product_ids.filtered(lambda r: r.tax_id == self.tax0).unlink()
        self.book_sales()
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "partial")
        self.assertFalse(self.posts("/invoices/drafts"))
        day = self.days()
        self.assertEqual(day.state, "error")
        self.assertIn("S-DK-MF", day.last_error)
        self.assertIn("Products of the Taxes", day.last_error)
        self.assertTrue(self.logs(entity=ENTITY, operation="error", res_id=day.id))
        # seen again: the same line
        self.push()
        line = self.logs(entity=ENTITY, operation="error", res_id=day.id)
        self.assertEqual(len(line), 1)
        # configured: Replay on the line sends it
        self.backend.write(
            {
                "shop_tax_product_ids": [
                    Command.create(
                        {"tax_id": self.tax0.id, "product_id": self.product("EXPORT-1").id}
                    )
                ]
            }
        )
        line.action_replay()
        self.assertEqual(line.state, "replayed")
        self.assertEqual(self.days().state, "draft")
        self.assertEqual(len(self.drafts()), 1)
        self.push()
        self.assertEqual(len(self.drafts()), 1)

    def test_tax_product_of_another_vat_is_refused(self):
        from odoo.exceptions import ValidationError

        row = self.backend.shop_tax_product_ids.filtered(lambda r: r.tax_id == self.tax0)
        self.assertEqual(row.economic_product, "EXPORT-1")
        with self.assertRaises(ValidationError):
            row.product_id = self.product("1")  # its group is 25 %

    def test_lost_answer_makes_one_draft(self):
        self.book_sales()
        self.sandbox.add_fault("drop_after_commit", path="/invoices/drafts", method="POST", times=1)
        self.sandbox.add_fault(
            "error", path="/invoices/drafts", method="POST", status=503, times=20
        )
        result = self.push()
        self.assertEqual(result["state"], "partial", result)
        self.assertEqual(len(self.drafts()), 1, "e-conomic made it")
        self.admin("DELETE", "/faults")
        self.clear_requests()
        self.push()
        self.push()
        self.assertFalse(self.posts("/invoices/drafts"), "found by its reference, not sent again")
        self.assertEqual(len(self.drafts()), 1)
        day = self.days()
        self.assertEqual(day.state, "draft")
        self.assertEqual(day.document_ids.draft_number, self.drafts()[0]["draftInvoiceNumber"])
        self.assertTrue(self.logs(entity=ENTITY, operation="bind"))

    def test_push_now_and_refresh_of_a_day(self):
        self.book_sales()
        self.push()
        day = self.days()
        draft = self.drafts()[0]
        with self.backend._get_client() as client:
            client.invoices.book(draft["draftInvoiceNumber"])
        day.action_economic_refresh()
        self.assertEqual(day.state, "booked")
        self.assertEqual(day.document_ids.doc_state, "booked")
        # nothing changed: Push Now sends nothing
        self.clear_requests()
        day.action_economic_push()
        self.assertFalse(self.writes("/invoices/drafts"))


@tagged("post_install", "-at_install")
class TestSyncShopJournal(ShopCase):
    def setUp(self):
        super().setUp()
        self.backend.write({"shop_mode": "journal", "shop_journal_id": self.economic_journal.id})

    def test_day_as_one_balanced_voucher_of_drafts(self):
        self.book_sales()
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        posts = self.posts("/journals/%s/vouchers" % DAILY)
        self.assertEqual(len(posts), 1)
        entries = self.journal_drafts()
        self.assertEqual(len({e["voucher"]["voucherNumber"] for e in entries}), 1, "one voucher")
        self.assertEqual(sum(D(str(e["amount"])) for e in entries), 0, "balanced")
        amounts = {
            (e["account"]["accountNumber"], (e.get("vatAccount") or {}).get("vatCode")): D(
                str(e["amount"])
            )
            for e in entries
        }
        self.assertEqual(
            amounts,
            {
                (5810, None): D("700.00"),
                (5820, None): D("400.00"),
                (1010, "U25"): D("-1000.00"),
                (1030, None): D("-100.00"),
            },
        )
        self.assertTrue(all("contraAccount" not in e for e in entries))
        day = self.days()
        doc = day.document_ids
        self.assertEqual((doc.kind, doc.doc_state, doc.journal_number), ("voucher", "draft", DAILY))
        self.assertEqual(doc.voucher_number, entries[0]["voucher"]["voucherNumber"])
        self.assertEqual(
            sorted(doc._entry_list()), sorted(e["journalEntryNumber"] for e in entries)
        )
        # the bookkeeper books the journal: e-conomic takes it (balanced), the day is booked
        self.admin("POST", "/journals/book", {"journal": DAILY})
        self.clear_requests()
        self.push()
        self.assertEqual(day.state, "booked")
        self.assertEqual(doc.doc_state, "booked")
        self.assertFalse(self.posts("/journals/"))

    def test_late_entry_amends_the_voucher(self):
        self.book_sales()
        self.push()
        first = {e["journalEntryNumber"] for e in self.journal_drafts()}
        self.book_sales(sales=(("40", "25"),), card="0")
        self.clear_requests()
        self.push()
        entries = self.journal_drafts()
        self.assertFalse(first & {e["journalEntryNumber"] for e in entries}, "posted again")
        self.assertEqual(len({e["voucher"]["voucherNumber"] for e in entries}), 1)
        self.assertEqual(sum(D(str(e["amount"])) for e in entries), 0)
        cash = [e for e in entries if e["account"]["accountNumber"] == 5810]
        self.assertEqual(D(str(cash[0]["amount"])), D("750.00"))
        self.assertEqual(len(self.days().document_ids), 1)
        posts = self.posts("/journals/%s/vouchers" % DAILY)
        self.assertEqual(len(posts), 1)
        self.assertTrue(self.logs(entity=ENTITY, operation="update"))

    def test_payment_account_not_mapped_is_the_days_error(self):
        self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id), ("account_id", "=", self.card_account.id)]
        ).account_id = False
        self.book_sales()
        self.clear_requests()
        self.push()
        self.assertFalse(self.posts("/journals/"))
        day = self.days()
        self.assertEqual(day.state, "error")
        self.assertIn(self.card_account.code, day.last_error)

    def test_booked_voucher_gets_one_correcting_voucher(self):
        self.book_sales()
        self.push()
        self.admin("POST", "/journals/book", {"journal": DAILY})
        self.book_sales(sales=(("40", "25"),), card="0")
        self.clear_requests()
        self.push()
        first, correction = self.days().document_ids.sorted("number")
        self.assertEqual((first.doc_state, correction.doc_state), ("booked", "draft"))
        entries = self.journal_drafts()
        self.assertEqual(len({e["voucher"]["voucherNumber"] for e in entries}), 1)
        self.assertNotEqual(entries[0]["voucher"]["voucherNumber"], first.voucher_number)
        amounts = {
            (e["account"]["accountNumber"], (e.get("vatAccount") or {}).get("vatCode")): D(
                str(e["amount"])
            )
            for e in entries
        }
        self.assertEqual(amounts, {(5810, None): D("50.00"), (1010, "U25"): D("-50.00")})
        self.assertTrue(all(e["text"].startswith(correction.reference) for e in entries))
        # e-conomic books the correction too: balanced
        self.admin("POST", "/journals/book", {"journal": DAILY})
        self.push()
        self.assertEqual(self.days().state, "booked")

    def test_lost_answer_makes_one_voucher(self):
        self.book_sales()
        path = "/journals/%s/vouchers" % DAILY
        self.sandbox.add_fault("drop_after_commit", path=path, method="POST", times=1)
        self.sandbox.add_fault("error", path=path, method="POST", status=503, times=20)
        self.assertEqual(self.push()["state"], "partial")
        self.assertEqual(len(self.journal_drafts()), 4, "e-conomic made it")
        self.admin("DELETE", "/faults")
        self.clear_requests()
        self.push()
        self.push()
        self.assertFalse(self.posts("/journals/"), "found by its texts, not sent again")
        entries = self.journal_drafts()
        self.assertEqual(len(entries), 4)
        doc = self.days().document_ids
        self.assertEqual(doc.doc_state, "draft")
        self.assertEqual(
            sorted(doc._entry_list()), sorted(e["journalEntryNumber"] for e in entries)
        )
        self.assertEqual(doc.voucher_number, entries[0]["voucher"]["voucherNumber"])


@tagged("post_install", "-at_install")
class TestSyncShopCompanies(ShopCase):
    def test_days_are_seen_by_their_company_only(self):
        self.book_sales()
        self.push()
        day = self.days()
        self.assertEqual(day.company_id, self.company)
        other = self.env["res.company"].create({"name": "Anden Butik ApS"})
        user = self._new_user(
            "shop_other_manager",
            "base.group_user,economic_sync.group_economic_manager",
            company=other,
        )
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=other.ids))
        for model in (
            "economic.shop.day",
            "economic.shop.document",
            "economic.shop.day.line",
            "economic.shop.tax.product",
        ):
            self.assertTrue(self.env[model].search([]), model)
            self.assertFalse(env[model].search([]), model)
        # an e-conomic user of the company reads the days, and cannot push them
        reader = self._new_user(
            "shop_reader", "base.group_user,economic_sync.group_economic_user", company=self.company
        )
        self.assertEqual(self.env["economic.shop.day"].with_user(reader).search([]), day)
        with self.assertRaises(AccessError):
            day.with_user(reader).action_economic_push()
