"""A small but valid one-page PDF of an invoice (what `GET /invoices/{drafts|booked}/{n}/pdf`
answers): title and number ("Credit note" when the gross amount is negative, docs/ECONOMIC.md §4.13),
dates, the customer, the lines and the totals, in plain uncompressed text (tests can read it)."""

from decimal import Decimal

MAX_LINES = 40
PAGE = (595, 842)  # A4 in points


def _amount(value):
    return format(Decimal(value), ".2f")


def _text(value):
    """A PDF string literal body in WinAnsi (cp1252): unknown characters become '?'."""
    raw = str(value).replace("\r", " ").replace("\n", " ")
    data = raw.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _title(rec, title):
    if Decimal(rec.get("grossAmount", 0)) < 0:
        return title.replace("Invoice", "Credit note").replace("invoice", "credit note")
    return title


def _rows(st, rec, title, number):
    """(font, size, x, text) rows from the top of the page down."""
    company = (st.self_info.get("wire") or {}).get("company", {}).get("name", "")
    rcp = rec.get("recipient", {})
    cur = rec.get("currency", "")
    rows = [("F2", 16, "%s %s" % (_title(rec, title), number)), ("F1", 10, company), None]
    rows.append(("F1", 10, "Date: %s    Due date: %s" % (rec.get("date"), rec.get("dueDate"))))
    rows.append(("F1", 10, "Customer %s" % rec.get("customer", {}).get("customerNumber", "")))
    rows.append(("F2", 11, rcp.get("name", "")))
    for f in ("address", "zip", "city", "country"):
        if rcp.get(f):
            rows.append(("F1", 10, rcp[f]))
    if rcp.get("cvr"):
        rows.append(("F1", 10, "CVR %s" % rcp["cvr"]))
    other = (rec.get("references") or {}).get("other")
    if other:
        rows.append(("F1", 10, "Reference: %s" % other))
    rows.append(None)
    lines = rec.get("lines", [])
    for line in lines[:MAX_LINES]:
        rows.append(
            (
                "F1",
                9,
                "%s  x %s @ %s = %s"
                % (
                    line.get("description", "")[:70],
                    line.get("quantity", ""),
                    _amount(line.get("unitNetPrice", 0)),
                    _amount(line.get("totalNetAmount", 0)),
                ),
            )
        )
    if len(lines) > MAX_LINES:
        rows.append(("F1", 9, "... %d more lines" % (len(lines) - MAX_LINES)))
    rows.append(None)
    rows.append(("F1", 10, "Net amount: %s %s" % (cur, _amount(rec.get("netAmount", 0)))))
    rows.append(("F1", 10, "VAT: %s %s" % (cur, _amount(rec.get("vatAmount", 0)))))
    if Decimal(rec.get("roundingAmount", 0)):
        rows.append(("F1", 10, "Rounding: %s %s" % (cur, _amount(rec["roundingAmount"]))))
    rows.append(("F2", 12, "Total: %s %s" % (cur, _amount(rec.get("grossAmount", 0)))))
    return rows


def _content(rows):
    out = []
    y = PAGE[1] - 60
    for row in rows:
        if row is None:
            y -= 10
            continue
        font, size, text = row
        out.append(b"BT /%s %d Tf 50 %d Td (%s) Tj ET" % (font.encode(), size, y, _text(text)))
        y -= size + 5
    return b"\n".join(out) + b"\n"


def build_pdf(objects):
    """A PDF file from its numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def invoice_pdf(st, rec, title, number):
    stream = _content(_rows(st, rec, title, number))
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % PAGE
            + b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
            font % b"Helvetica",
            font % b"Helvetica-Bold",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
            b"<< /Title (%s %s) /Producer (economic_sandbox) >>"
            % (_text(_title(rec, title)), str(number).encode()),
        ]
    )
