"""The client's invoice services against the sandbox: PDFs as bytes through the one HTTP choke
point (retries, typed errors, checked links), booking with a chosen number, ``sendBy`` in lower
case, the customer's invoice template."""

import pytest

from economic_client import (
    InvalidResponseError,
    NotFoundError,
    UnsafeURLError,
    ValidationError,
)

#: attempts of the ``client`` fixture (tests_pure/conftest.py)
CLIENT_MAX_ATTEMPTS = 3


def _draft(client, customer=1, quantity=2):
    body = client.customers.invoice_template(customer)
    body["lines"] = [
        {"product": {"productNumber": "50"}, "quantity": quantity, "unitNetPrice": 100}
    ]
    return client.invoices.drafts.create(body)


def test_pdf_of_a_draft_and_a_booked_invoice_as_bytes(client, admin):
    pdf = client.invoices.drafts.pdf(1)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-10:]
    assert b"Draft invoice 1" in pdf
    assert client.last_response.headers["Content-Type"] == "application/pdf"
    booked = client.invoices.booked.pdf(4)
    assert b"Credit note 4" in booked
    link = client.invoices.booked.get(3)["pdf"]["download"]
    assert b"Invoice 3" in client.invoices.pdf_url(link)
    assert client.invoices.drafts.pdf_url(client.invoices.drafts.get(2)["pdf"]["download"])
    with pytest.raises(NotFoundError):
        client.invoices.booked.pdf(999)
    with pytest.raises(UnsafeURLError):
        client.invoices.pdf_url("https://evil.example/invoices/booked/3/pdf")


def test_pdf_download_retried_on_5xx_and_on_a_body_that_is_no_pdf(client, admin, sleeper):
    admin.fault(method="GET", path="/invoices/booked/1/pdf", fault="error", status=503)
    assert client.invoices.booked.pdf(1).startswith(b"%PDF-")
    assert client.last_response.attempts == 2 and len(sleeper.calls) == 1
    admin.fault(method="GET", path="/invoices/booked/1/pdf", fault="malformed")
    assert client.invoices.booked.pdf(1).startswith(b"%PDF-")
    assert client.last_response.attempts == 2
    admin.fault(method="GET", path="/invoices/booked/1/pdf", fault="malformed", times=3)
    with pytest.raises(InvalidResponseError) as caught:
        client.invoices.booked.pdf(1)
    assert "application/pdf" in str(caught.value)


def test_booking_with_order_number_lower_case_ean_and_a_chosen_number(client, admin):
    draft = _draft(client)
    assert draft["recipient"]["cvr"] == "22001884"
    booked = client.invoices.drafts.book(draft["draftInvoiceNumber"], book_with_number=20)
    assert (booked["bookedInvoiceNumber"], booked["orderNumber"]) == (
        20,
        draft["draftInvoiceNumber"],
    )
    with pytest.raises(NotFoundError):
        client.invoices.drafts.get(draft["draftInvoiceNumber"])
    second = _draft(client)
    with pytest.raises(ValidationError) as caught:
        client.invoices.booked.book_with_number(20, second["draftInvoiceNumber"])
    assert [fe["path"] for fe in caught.value.field_errors] == ["bookWithNumber"]
    booked = client.invoices.booked.book_with_number(15, second["draftInvoiceNumber"])
    assert booked["bookedInvoiceNumber"] == 15
    body = client.customers.invoice_template(3)
    body["recipient"]["ean"] = "5790001234567"
    body["lines"] = [{"product": {"productNumber": "50"}, "quantity": 1, "unitNetPrice": 10}]
    third = client.invoices.drafts.create(body)
    booked = client.invoices.book(third["draftInvoiceNumber"], send_by="ean")
    assert booked["bookedInvoiceNumber"] == 21 and booked["recipient"]["ean"] == "5790001234567"


def test_customer_invoice_template(client, admin):
    t = client.customers.invoice_template(2)
    assert t["customer"]["customerNumber"] == 2 and t["currency"] == "EUR"
    assert t["recipient"]["name"] == "Decathlon" and t["recipient"]["vatZone"]["vatZoneNumber"] == 2
    assert t["layout"]["layoutNumber"] == 21
    with pytest.raises(NotFoundError):
        client.customers.invoice_template(999)


def test_payment_in_the_sandbox_moves_the_invoice_between_views(client, admin):
    booked = client.invoices.book(_draft(client)["draftInvoiceNumber"])
    n = booked["bookedInvoiceNumber"]
    assert n in {i["bookedInvoiceNumber"] for i in client.invoices.unpaid.iter()}
    admin.call(
        "POST", "/payments", {"bookedInvoiceNumber": n, "amount": str(booked["grossAmount"])}
    )
    assert client.invoices.booked.get(n)["remainder"] == 0
    assert n in {i["bookedInvoiceNumber"] for i in client.invoices.paid.iter()}
    assert n not in {i["bookedInvoiceNumber"] for i in client.invoices.unpaid.iter()}
