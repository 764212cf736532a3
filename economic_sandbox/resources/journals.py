"""Journals (daybooks), vouchers and draft journal entries; booked ledger entries (docs/ECONOMIC.md §4.8–4.9)."""

from decimal import Decimal

from .. import errors
from ..bookkeeping import (
    add_ledger_entry,
    after_booking,
    closed_error,
    is_closed,
    journal_line_entries,
    refuse_closed,
    year_of,
)
from ..util import decode_id
from ..validation import A, D, I, N, O, Ref, S
from .base import Resource, collection, ref

ENTRY_KINDS = {
    "financeVouchers": "financeVoucher",
    "customerPayments": "customerPayment",
    "supplierInvoices": "supplierInvoice",
    "supplierPayments": "supplierPayment",
    "manualCustomerInvoices": "manualCustomerInvoice",
}

GROUP_OF = {kind: group for group, kind in ENTRY_KINDS.items()}


def _entry_rule(kind):
    f = {
        "amount": N(req=True),
        "date": D(req=True),
        "text": S(max=250),
        "account": Ref("accounts", "accountNumber"),
        "contraAccount": Ref("accounts", "accountNumber"),
        "vatAccount": Ref("vat-accounts", "vatCode", key_type=str),
        "contraVatAccount": Ref("vat-accounts", "vatCode", key_type=str),
        "currency": Ref("currencies", "code", key_type=str),
        "exchangeRate": N(min=0),
        "voucher": O({"voucherNumber": I(min=1, max=999999999)}),
        "employee": Ref("employees", "employeeNumber"),
        "project": Ref(None, "projectNumber"),
        "departmentalDistribution": Ref(None, "departmentalDistributionNumber"),
        "quantity1": N(),
        "quantity2": N(),
        "unit1": Ref("units", "unitNumber"),
        "unit2": Ref("units", "unitNumber"),
        "entryType": S(),
    }
    if kind in ("customerPayments", "manualCustomerInvoices"):
        f["customer"] = Ref("customers", "customerNumber")
    if kind == "customerPayments":
        f["customerInvoice"] = I(min=1)
    if kind in ("supplierInvoices", "supplierPayments"):
        f["supplier"] = Ref("suppliers", "supplierNumber")
        f["supplierInvoiceNumber"] = S(max=30)
    if kind in ("supplierInvoices", "manualCustomerInvoices"):
        f["dueDate"] = D()
    if kind == "supplierInvoices":
        f["paymentDetails"] = O({"paymentType": Ref("payment-types", "paymentTypeNumber")})
    return O(f)


VOUCHER_RULE = O(
    {
        "voucherNumber": I(min=1, max=999999999),
        "accountingYear": Ref("accounting-years", "year", req=True, key_type=str),
        "journal": Ref("journals", "journalNumber"),
        "entries": O({k: A(_entry_rule(k)) for k in ENTRY_KINDS}, req=True),
    }
)


def book_journal(sb, data):
    """Book a day book as an e-conomic user would (legacy REST cannot, docs/ECONOMIC.md §4.9): the
    journal's entries (all, or `entries`: journal entry numbers) leave the journal and become
    ledger entries (the account side and the contra side), then "Day book booked" fires with the
    journal number and the span of voucher numbers."""
    st = sb.state
    jn = int(data["journal"])
    only = data.get("entries")
    with st.lock:
        if jn not in st.t("journals"):
            raise errors.not_found()
        drafts = st.t("journal-entries")
        chosen = sorted(
            (e for e in drafts.values() if e["_journal"] == jn),
            key=lambda e: e["journalEntryNumber"],
        )
        if only is not None:
            chosen = [e for e in chosen if e["journalEntryNumber"] in {int(n) for n in only}]
        if not chosen:
            raise errors.bad_request("The journal has no entries to book.")
        refuse_closed(st, chosen)
        refuse_unbalanced(st, chosen)
        booked = []
        for e in chosen:
            for side in journal_line_entries(st, e):
                rec = add_ledger_entry(st, side)
                if rec is not None:
                    booked.append(rec["entryNumber"])
            after_booking(st, e)
            del drafts[e["journalEntryNumber"]]
        vouchers = [e["voucher"]["voucherNumber"] for e in chosen]
        first, last = min(vouchers), max(vouchers)
        sb.webhooks.daybook_booked(jn, first, last)
    return {"journal": jn, "fromSerialNo": first, "toSerialNo": last, "entries": booked}


def refuse_unbalanced(st, drafts):
    """e-conomic books a journal only when each voucher balances: the ledger sides of its
    entries (an entry with a contra account balances itself, a one-sided entry does not) add up
    to zero. An unbalanced voucher refuses the booking whole (400), naming the voucher and the
    difference; nothing is booked."""
    totals = {}
    for e in drafts:
        key = (e["voucher"]["accountingYear"]["year"], e["voucher"]["voucherNumber"])
        sides = journal_line_entries(st, e)
        totals[key] = totals.get(key, Decimal(0)) + sum(Decimal(x["amount"]) for x in sides)
    wrong = [(key, diff) for key, diff in sorted(totals.items()) if diff]
    if wrong:
        (year, number), diff = wrong[0]
        raise errors.bad_request(
            "Voucher %s-%s does not balance: the difference is %s. The journal was not booked."
            % (year, number, diff.quantize(Decimal("0.01"))),
            errors={
                "voucherNumber": {
                    "errors": [
                        {
                            "errorCode": "E04320",
                            "message": "The voucher does not balance.",
                            "value": number,
                            "developerHint": "The entries of a voucher must add up to zero.",
                        }
                    ]
                }
            },
        )


def _refuse_closed_year(st, clean):
    """A voucher of a closed accounting year, or with an entry dated in one, is refused whole."""
    year = clean["accountingYear"]["year"]
    if is_closed(st, year):
        raise closed_error("accountingYear", year)
    for group in ENTRY_KINDS:
        for i, e in enumerate(clean["entries"].get(group, [])):
            in_year = year_of(st, e["date"])
            if in_year is not None and is_closed(st, in_year):
                raise closed_error("date", in_year, i, group)


class Journals(Resource):
    path = "journals"
    key = "journalNumber"
    filterable = ["journalNumber", "name"]
    sortable = ["journalNumber", "name"]

    def render(self, ctx, rec):
        n = rec["journalNumber"]
        base = ctx.link("journals", n)
        settings = {"voucherNumbers": {"minimumVoucherNumber": rec.get("minimumVoucherNumber", 1)}}
        if rec.get("entryTypeRestrictedTo"):
            settings["entryTypeRestrictedTo"] = rec["entryTypeRestrictedTo"]
        if rec.get("contraAccounts"):
            settings["contraAccounts"] = {
                k: ref(ctx, "accounts", "accountNumber", v)
                for k, v in rec["contraAccounts"].items()
            }
        return {
            "name": rec["name"],
            "settings": settings,
            "vouchers": base + "/vouchers",
            "entries": base + "/entries",
            "templates": {
                "financeVoucher": base + "/templates/financeVoucher",
                "manualCustomerInvoice": base + "/templates/manualCustomerInvoice",
                "self": base + "/templates",
            },
            "journalNumber": n,
            "self": base,
        }

    def register(self, router):
        super().register(router)
        router.add("POST", r"journals/([^/]+)/vouchers", self.h_post_voucher)
        router.add("GET", r"journals/([^/]+)/vouchers/([^/]+)", self.h_voucher)
        router.add("GET", r"journals/([^/]+)/entries", self.h_entries)
        router.add("GET", r"journals/([^/]+)/entries/([^/]+)", self.h_entry)
        router.add("DELETE", r"journals/([^/]+)/entries/([^/]+)", self.h_delete_entry)

    def _journal(self, ctx, raw):
        n = self.parse_key(raw)
        j = ctx.st.t("journals").get(n)
        if j is None:
            raise errors.not_found()
        return n, j

    def render_entry(self, ctx, e):
        jn = e["_journal"]
        out = {}
        for name, (res, kn) in {
            "account": ("accounts", "accountNumber"),
            "customer": ("customers", "customerNumber"),
            "supplier": ("suppliers", "supplierNumber"),
            "contraAccount": ("accounts", "accountNumber"),
            "contraVatAccount": ("vat-accounts", "vatCode"),
            "vatAccount": ("vat-accounts", "vatCode"),
            "employee": ("employees", "employeeNumber"),
        }.items():
            if name in e:
                out[name] = ref(ctx, res, kn, e[name][kn])
        out["journal"] = ref(ctx, "journals", "journalNumber", jn)
        for f in (
            "customerInvoice",
            "supplierInvoiceNumber",
            "dueDate",
            "text",
            "amount",
            "date",
            "exchangeRate",
            "entryType",
            "amountDefaultCurrency",
            "remainder",
            "remainderDefaultCurrency",
            "quantity1",
            "quantity2",
        ):
            if f in e:
                out[f] = e[f]
        out["currency"] = ref(ctx, "currencies", "code", e["currency"]["code"])
        y, v = e["voucher"]["accountingYear"]["year"], e["voucher"]["voucherNumber"]
        vbase = ctx.link("journals", jn, "vouchers", "%s-%d" % (y, v))
        out["voucher"] = {
            "accountingYear": ref(ctx, "accounting-years", "year", y),
            "voucherNumber": v,
            "attachment": vbase + "/attachment",
            "self": vbase,
        }
        out["journalEntryNumber"] = e["journalEntryNumber"]
        href = ctx.link("journals", jn, "entries", e["journalEntryNumber"])
        out["metaData"] = {
            "delete": {"description": "Delete this entry.", "href": href, "httpMethod": "delete"}
        }
        out["self"] = href
        return out

    def h_post_voucher(self, ctx, raw):
        body = ctx.body
        payload = body if isinstance(body, list) else [body]
        with ctx.st.lock:
            jn, journal = self._journal(ctx, raw)
            results = []
            cleaned = []
            for item in payload:
                clean, errs = ctx.validator().validate(VOUCHER_RULE, item)
                if errs:
                    raise errors.validation(errs)
                _refuse_closed_year(ctx.st, clean)
                cleaned.append(clean)
            for clean in cleaned:
                results.extend(self._book_voucher(ctx, jn, journal, clean))
        return 201, results, {}

    def _book_voucher(self, ctx, jn, journal, clean):
        """The draft entries of one POSTed voucher: an entry with its own voucher number goes
        on that voucher; one without takes the voucher's number (``voucherNumber`` of the
        body) if given, else the journal's next number, one each. A number given moves the
        journal's next number past it."""
        st = ctx.st
        year = clean["accountingYear"]["year"]
        vouchers = {}
        given = clean.get("voucherNumber")
        restricted = journal.get("entryTypeRestrictedTo")
        for group, kind in ENTRY_KINDS.items():
            for i, e in enumerate(clean["entries"].get(group, [])):
                if restricted and kind != restricted:
                    raise errors.validation(
                        {
                            "entries": {
                                group: [
                                    {
                                        "arrayIndex": i,
                                        "entryType": {
                                            "errors": [
                                                {
                                                    "errorCode": "E04300",
                                                    "message": "Journal %d only accepts %s entries."
                                                    % (jn, restricted),
                                                    "value": kind,
                                                    "developerHint": "Use another journal.",
                                                }
                                            ]
                                        },
                                    }
                                ]
                            }
                        }
                    )
                if kind == "financeVoucher" and ("account" not in e):
                    raise errors.validation(
                        {
                            "entries": {
                                group: [
                                    {
                                        "arrayIndex": i,
                                        "account": {
                                            "errors": [
                                                {
                                                    "errorCode": "E00000",
                                                    "message": "Required properties are missing from object: account.",
                                                    "developerHint": "A finance voucher needs an account.",
                                                }
                                            ]
                                        },
                                    }
                                ]
                            }
                        }
                    )
                vno = e.get("voucher", {}).get("voucherNumber") or given
                key = (jn, year)
                cur = st.counters["voucher"].get(key, journal.get("minimumVoucherNumber", 1) - 1)
                if vno is None:
                    vno = cur + 1
                st.counters["voucher"][key] = max(cur, vno)
                en = st.next_counter("journal-entry")
                cur = e.get("currency", {}).get("code", st.base_currency)
                rate = e.get(
                    "exchangeRate",
                    Decimal(100)
                    if cur == st.base_currency
                    else Decimal(st.t("currencies").get(cur, {}).get("rate", 100)),
                )
                amount = Decimal(e["amount"])
                rec = dict(e)
                rec.pop("voucher", None)
                rec.update(
                    {
                        "entryType": kind,
                        "currency": {"code": cur},
                        "exchangeRate": rate,
                        "amountDefaultCurrency": (amount * rate / 100).quantize(Decimal("0.01")),
                        "journalEntryNumber": en,
                        "_journal": jn,
                        "voucher": {"accountingYear": {"year": year}, "voucherNumber": vno},
                    }
                )
                if kind in ("customerPayment", "supplierInvoice", "manualCustomerInvoice"):
                    rec["remainder"] = amount
                    rec["remainderDefaultCurrency"] = rec["amountDefaultCurrency"]
                if (
                    kind == "financeVoucher"
                    and "contraAccount" not in rec
                    and journal.get("contraAccounts", {}).get("financeVouchers")
                ):
                    rec["contraAccount"] = {
                        "accountNumber": journal["contraAccounts"]["financeVouchers"]
                    }
                if (
                    kind == "customerPayment"
                    and "contraAccount" not in rec
                    and journal.get("contraAccounts", {}).get("customerPayments")
                ):
                    rec["contraAccount"] = {
                        "accountNumber": journal["contraAccounts"]["customerPayments"]
                    }
                st.t("journal-entries")[en] = rec
                vouchers.setdefault(vno, {}).setdefault(group, []).append(rec)
        return [
            self.render_voucher(ctx, jn, year, vno, groups)
            for vno, groups in sorted(vouchers.items())
        ]

    def render_voucher(self, ctx, jn, year, vno, groups):
        """A voucher as e-conomic answers it: its draft entries grouped by kind."""
        vbase = ctx.link("journals", jn, "vouchers", "%s-%d" % (year, vno))
        return {
            "accountingYear": ref(ctx, "accounting-years", "year", year),
            "journal": ref(ctx, "journals", "journalNumber", jn),
            "entries": {g: [self.render_entry(ctx, e) for e in es] for g, es in groups.items()},
            "voucherNumber": vno,
            "attachment": vbase + "/attachment",
            "self": vbase,
        }

    def h_voucher(self, ctx, raw, raw_v):
        """`GET /journals/{n}/vouchers/{year}-{voucherNumber}`: the voucher while it has draft
        entries; 404 once they are booked (or deleted), or when it never existed."""
        year, _, vno = decode_id(raw_v).rpartition("-")
        if not vno.isdigit():
            raise errors.not_found()
        groups = {}
        with ctx.st.lock:
            jn, _ = self._journal(ctx, raw)
            for e in sorted(
                ctx.st.t("journal-entries").values(), key=lambda x: x["journalEntryNumber"]
            ):
                v = e["voucher"]
                if (
                    e["_journal"] == jn
                    and v["voucherNumber"] == int(vno)
                    and v["accountingYear"]["year"] == year
                ):
                    groups.setdefault(GROUP_OF[e["entryType"]], []).append(e)
            if not groups:
                raise errors.not_found()
            return 200, self.render_voucher(ctx, jn, year, int(vno), groups), {}

    def h_entries(self, ctx, raw):
        with ctx.st.lock:
            jn, _ = self._journal(ctx, raw)
            recs = [e for e in ctx.st.t("journal-entries").values() if e["_journal"] == jn]
        return collection(
            ctx, JournalEntriesView(), records=recs, render=self.render_entry, create=False
        )

    def h_entry(self, ctx, raw, raw_e):
        jn, _ = self._journal(ctx, raw)
        e = ctx.st.t("journal-entries").get(self.parse_key(raw_e))
        if e is None or e["_journal"] != jn:
            raise errors.not_found()
        return 200, self.render_entry(ctx, e), {}

    def h_delete_entry(self, ctx, raw, raw_e):
        with ctx.st.lock:
            jn, _ = self._journal(ctx, raw)
            k = self.parse_key(raw_e)
            e = ctx.st.t("journal-entries").get(k)
            if e is None or e["_journal"] != jn:
                raise errors.not_found()
            del ctx.st.t("journal-entries")[k]
        return 204, None, {}


class JournalEntriesView(Resource):
    filterable = [
        "account.accountNumber",
        "customer.customerNumber",
        "supplier.supplierNumber",
        "text",
        "amount",
        "contraAccount.accountNumber",
        "contraVatAccount.vatCode",
        "contraVatAmount",
        "currency.code",
        "date",
        "employee.employeeNumber",
        "exchangeRate",
        "entryType",
        "voucher.voucherNumber",
        "amountDefaultCurrency",
        "journalEntryNumber",
    ]
    sortable = filterable
    default_sort = [("journalEntryNumber", False, False)]


RESOURCES = [Journals()]
