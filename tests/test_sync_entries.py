"""Journal entries read from e-conomic (issue 17 §1): each accounting year's booked entries
mirrored per connection, a second pass reads nothing new, an entry booked later appears, a
closed year is read once and never again, the "Day book booked" webhook reads exactly the
booked voucher span; the journals mirrored; nothing posted in Odoo's ledger."""

from datetime import datetime, timezone
from urllib.parse import unquote_plus

from odoo.tests import tagged

from ..models.economic_sync_state import PassState
from .sync_common import SyncCase

ENTITIES = ["account", "vat_code", "customer", "supplier", "journal_entry"]


@tagged("post_install", "-at_install")
class TestSyncEntries(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["economic.entry"]
        # the sandbox's clock is real UTC time: its open years are around this one
        cls.year = str(datetime.now(timezone.utc).year)

    # ------------------------------------------------------------------ helpers
    def book(self, vouchers, journal=1, year=None):
        """Post finance vouchers ``[(account, contra, amount, text)]`` in ``journal`` and
        book the journal as an e-conomic user would; returns the booking's answer."""
        year = year or self.year
        day = "%s-03-15" % year
        entries = [
            {
                "account": {"accountNumber": account},
                "contraAccount": {"accountNumber": contra},
                "amount": amount,
                "date": day,
                "text": text,
            }
            for account, contra, amount, text in vouchers
        ]
        with self.backend._get_client() as client:
            client.journals.create_vouchers(
                journal,
                {
                    "accountingYear": {"year": year},
                    "journal": {"journalNumber": journal},
                    "entries": {"financeVouchers": entries},
                },
            )
        return self.admin("POST", "/journals/book", {"journal": journal})

    def entries(self, **domain):
        terms = [("backend_id", "=", self.backend.id)]
        terms += [(name, "=", value) for name, value in domain.items()]
        return self.Entry.search(terms)

    def entry_requests(self):
        return [
            dict(r, query=unquote_plus(r.get("query") or ""))
            for r in self.requests_log()
            if "/entries" in r["path"] and r["method"] == "GET"
        ]

    def pull(self, full=False):
        result = self.run_pass(entities=ENTITIES, full=full)
        self.assertNotEqual(result.get("state"), "failed", result)
        return result

    # ------------------------------------------------------------------ tests
    def test_year_mirrored_then_only_new_entries(self):
        booked = self.book(
            [(1010, 5820, 1000, "T17 kontantsalg"), (2750, 5820, 250, "T17 husleje")]
        )
        self.pull()
        mirrored = self.entries(year=self.year)
        numbers = set(mirrored.mapped("entry_number"))
        self.assertTrue(set(booked["entries"]) <= numbers, (booked, numbers))
        rent = mirrored.filtered(lambda e: e.text == "T17 husleje" and e.account_number == 2750)
        self.assertEqual(len(rent), 1)
        self.assertEqual(rent.entry_type, "financeVoucher")
        self.assertAlmostEqual(rent.amount, 250.0)
        self.assertEqual(rent.economic_account_id.account_number, 2750)
        self.assertEqual(rent.year_id.year, self.year)
        bank = mirrored.filtered(lambda e: e.text == "T17 husleje" and e.account_number == 5820)
        self.assertAlmostEqual(bank.amount, -250.0)
        self.assertEqual(rent.voucher_number, bank.voucher_number)
        # the entries are a mirror: nothing posted in Odoo's books
        self.assertFalse(self.env["account.move.line"].search_count([("name", "=", "T17 husleje")]))

        # a second pass asks each open year for the numbers above its watermark: nothing new
        count = len(mirrored)
        self.clear_requests()
        self.pull()
        self.assertEqual(len(self.entries(year=self.year)), count)
        requests = self.entry_requests()
        self.assertTrue(requests)
        for request in requests:
            self.assertIn("entryNumber$gt:", request["query"], request)

        # an entry booked later appears
        later = self.book([(2750, 5820, 99.5, "Porto")])
        self.pull()
        self.assertEqual(len(self.entries(year=self.year)), count + len(later["entries"]))
        self.assertTrue(self.entries(text="Porto", account_number=2750))

    def test_closed_year_read_once(self):
        """The seed's last year is closed and has entries: read whole once, never again."""
        last = str(int(self.year) - 1)
        self.pull()
        year = self.env["economic.accounting.year"].search(
            [("backend_id", "=", self.backend.id), ("year", "=", last)]
        )
        self.assertTrue(year.closed)
        self.assertTrue(year.entries_complete)
        with self.backend._get_client() as client:
            expected = {e["entryNumber"] for e in client.accounting_years.entries(last).iter()}
        self.assertTrue(expected)
        self.assertEqual(set(self.entries(year=last).mapped("entry_number")), expected)
        self.clear_requests()
        self.pull(full=True)
        paths = [r["path"] for r in self.entry_requests()]
        self.assertFalse([p for p in paths if "/accounting-years/%s/" % last in p], paths)
        self.assertTrue([p for p in paths if "/accounting-years/%s/" % self.year in p], paths)

    def test_full_pass_updates_remainder_and_removes_gone(self):
        self.book([(2750, 5820, 40, "Kaffe")])
        self.pull()
        coffee = self.entries(text="Kaffe", account_number=2750)
        self.assertEqual(len(coffee), 1)
        # e-conomic changes only remainders: a full pass compares and writes them
        self.admin(
            "POST",
            "/edit",
            {
                "resource": "entries",
                "key": coffee.entry_number,
                "changes": {"remainder": 12.5},
            },
        )
        self.pull()
        self.assertEqual(coffee.remainder, 0.0, "an incremental pass does not re-read")
        self.pull(full=True)
        self.assertAlmostEqual(coffee.remainder, 12.5)

    def test_entries_link_partner_and_odoo_account(self):
        self.pull()
        invoice_entries = self.entries(entry_type="customerInvoice")
        self.assertTrue(invoice_entries, "the demo seed books invoices")
        bound = invoice_entries.filtered("partner_id")
        self.assertEqual(bound, invoice_entries.filtered("customer_number"))
        partner = bound[:1].partner_id
        self.assertEqual(partner.economic_entry_count, len(self.entries(partner_id=partner.id)))
        action = partner.action_view_economic_entries()
        self.assertEqual(action["domain"], [("partner_id", "=", partner.id)])
        account = bound[:1].economic_account_id
        self.assertEqual(account.entry_count, len(self.entries(economic_account_id=account.id)))

    def test_journals_mirrored(self):
        self.pull()
        journals = self.env["economic.journal"].search([("backend_id", "=", self.backend.id)])
        payments = journals.filtered(lambda j: j.journal_number == 2)
        self.assertEqual(payments.entry_type_restricted_to, "customerPayment")
        self.assertEqual(payments.customer_payment_account, 5820)
        self.assertIn(1, journals.mapped("journal_number"))

    def test_pull_off_reads_nothing(self):
        self.setting("journal_entry").pull = False
        self.book([(2750, 5820, 10, "Frimærker")])
        self.clear_requests()
        self.pull()
        self.assertFalse(self.entries())
        self.assertFalse(self.entry_requests())

    def test_daybook_webhook_reads_the_span(self):
        self.pull()
        booked = self.book([(2750, 5820, 55, "Avis"), (2750, 5820, 66, "Blade")])
        span = "1:%s-%s" % (booked["fromSerialNo"], booked["toSerialNo"])
        self.clear_requests()
        with self.backend._get_client() as client:
            state = PassState(self.engine, self.backend, client)
            reached = self.env["economic.sync.entry"]._economic_pull_keys(
                state, "journal_entry", [span], {}
            )
        self.assertIn(span, reached)
        self.assertTrue(self.entries(text="Avis"))
        self.assertTrue(self.entries(text="Blade"))
        queries = [r["query"] for r in self.entry_requests()]
        self.assertTrue(queries)
        for query in queries:
            self.assertIn("voucherNumber$gte:%s" % booked["fromSerialNo"], query)
