import requests

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EconomicSandboxCase, capture_logs, closed_local_port

#: every logger the test connection may write to
LOGGERS = ("odoo.addons.economic_sync", "economic_client", "urllib3", "requests")


@tagged("post_install", "-at_install")
class TestBackendConnection(EconomicSandboxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["economic.backend"].create(cls._backend_vals())
        cls.tokens = (
            cls.sandbox_info["app_secret_token"],
            cls.sandbox_info["agreement_grant_token"],
        )

    def _expected_self(self):
        """What the sandbox's ``GET /self`` says, read directly."""
        response = requests.get(
            self.sandbox_info["rest_url"] + "/self",
            headers={
                "X-AppSecretToken": self.tokens[0],
                "X-AgreementGrantToken": self.tokens[1],
            },
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def _assert_error(self, action, backend, *fragments):
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(backend.state, "error")
        self.assertTrue(backend.last_test_date)
        for fragment in fragments:
            self.assertIn(fragment, backend.last_error)
            self.assertIn(fragment, action["params"]["message"])
        self.assertEqual(backend.last_error, action["params"]["message"])

    def _assert_no_token(self, text, tokens=None):
        for token in tokens or self.tokens:
            self.assertNotIn(token, text or "")

    # ------------------------------------------------------------------ success
    def test_defaults(self):
        company = self.env["res.company"].create({"name": "Other Co"})
        backend = self.env["economic.backend"].create(
            {"name": "Defaults", "company_id": company.id}
        )
        self.assertEqual(backend.rest_url, "https://restapi.e-conomic.com")
        self.assertEqual(backend.apis_url, "https://apis.e-conomic.com")
        self.assertEqual(backend.timeout, 30)
        self.assertEqual(backend.state, "draft")
        self.assertTrue(backend.active)

    def test_connection_success(self):
        expected = self._expected_self()
        self.sandbox.admin("DELETE", "/requests")
        action = self.backend.action_test_connection()
        self.assertEqual(self.backend.state, "connected")
        self.assertEqual(self.backend.agreement_number, str(expected["agreementNumber"]))
        self.assertEqual(self.backend.economic_company_name, expected["company"]["name"])
        self.assertTrue(self.backend.economic_company_name)
        self.assertEqual(self.backend.base_currency, "DKK")
        self.assertEqual(self.backend.agreement_country_id, self.env.ref("base.dk"))
        self.assertTrue(self.backend.last_test_date)
        self.assertFalse(self.backend.last_error)
        self.assertEqual(action["tag"], "display_notification")
        # the test company keeps its books in USD, the agreement in DKK: connected, with the
        # currency warning (tests/test_sync_currency.py)
        self.assertEqual(self.env.company.currency_id.name, "USD")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(action["params"]["title"], "Connected to e-conomic, with a warning")
        message = action["params"]["message"]
        self.assertIn("not synced as USD amounts", message)
        self.assertIn(str(expected["agreementNumber"]), message)
        self.assertIn(expected["company"]["name"], message)
        self.assertIn("DKK", message)
        # the client called /self once, with our tokens accepted
        log = self.sandbox.admin("GET", "/requests")
        self.assertEqual([r["path"] for r in log], ["/self"])
        self.assertEqual(log[0]["status"], 200)

    def test_success_clears_previous_error(self):
        self.backend.write({"rest_url": "http://127.0.0.1:%s" % closed_local_port()})
        self.backend.action_test_connection()
        self.assertEqual(self.backend.state, "error")
        self.backend.rest_url = self.sandbox_info["rest_url"]
        self.assertEqual(self.backend.state, "draft", "new URL: test again")
        self.backend.action_test_connection()
        self.assertEqual(self.backend.state, "connected")
        self.assertFalse(self.backend.last_error)

    def test_changing_tokens_resets_state(self):
        self.backend.action_test_connection()
        self.assertEqual(self.backend.state, "connected")
        self.backend.agreement_grant_token = "another-grant-token"
        self.assertEqual(self.backend.state, "draft")

    def test_missing_tokens(self):
        self.backend.app_secret_token = False
        with self.assertRaisesRegex(UserError, "App Secret Token"):
            self.backend.action_test_connection()

    # ------------------------------------------------------------------ failures
    def test_wrong_tokens(self):
        self.backend.write(
            {
                "app_secret_token": "wrong-app-secret-123",
                "agreement_grant_token": "wrong-grant-456789",
            }
        )
        action = self.backend.action_test_connection()
        self._assert_error(action, self.backend, "refused the tokens", "HTTP 401")
        self._assert_no_token(
            self.backend.last_error, ("wrong-app-secret-123", "wrong-grant-456789")
        )
        self.assertFalse(self.backend.agreement_number)

    def test_forbidden(self):
        self.sandbox.add_fault("error", path="/self", status=403)
        action = self.backend.action_test_connection()
        self._assert_error(action, self.backend, "denied access", "HTTP 403")

    def test_unreachable_host(self):
        port = closed_local_port()
        self.backend.rest_url = "http://127.0.0.1:%s" % port
        action = self.backend.action_test_connection()
        self._assert_error(action, self.backend, "Could not reach e-conomic", "127.0.0.1:%s" % port)

    def test_timeout(self):
        # Odoo's test patch raises request timeouts below 10 s to 10 s: the sandbox
        # answers after 12 s, so the 1 s timeout (10 s in tests) expires first.
        self.backend.timeout = 1
        self.sandbox.add_fault("latency", path="/self", delay=12)
        action = self.backend.action_test_connection()
        self._assert_error(action, self.backend, "e-conomic did not answer within 1 seconds")

    def test_unexpected_answer(self):
        self.sandbox.add_fault("malformed", path="/self")
        action = self.backend.action_test_connection()
        self._assert_error(action, self.backend, "unexpected answer")

    def test_server_error(self):
        self.sandbox.add_fault("error", path="/self", status=500)
        action = self.backend.action_test_connection()
        self._assert_error(action, self.backend, "reported an error", "HTTP status: 500")

    # ------------------------------------------------------------------ secrecy
    def test_tokens_never_in_logs_nor_chatter(self):
        company = self.env["res.company"].create({"name": "Tracked Co"})
        backend = self.env["economic.backend"].create(self._backend_vals(company_id=company.id))
        self.flush_tracking()  # as if committed: later writes are tracked
        # a fresh write of the tokens and a few state changes, tracked in the chatter
        backend.write(self._backend_vals(name="Renamed"))
        with capture_logs(*LOGGERS) as logs:
            backend.action_test_connection()  # success
            self.sandbox.add_fault("error", path="/self", status=500)
            backend.action_test_connection()  # server error
            self.sandbox.admin("DELETE", "/faults")
            backend.write({"app_secret_token": "wrong-app-secret-123"})
            backend.action_test_connection()  # 401
        self.flush_tracking()
        self.assertTrue(logs.records, "the test connection logs what it does")
        text = logs.text()
        self._assert_no_token(text, self.tokens + ("wrong-app-secret-123",))

        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "economic.backend"), ("res_id", "=", backend.id)])
        )
        self.assertTrue(messages, "state changes are tracked")
        tracked = messages.tracking_value_ids
        self.assertTrue(tracked)
        self.assertNotIn(
            "app_secret_token", tracked.field_id.mapped("name"), "tokens are not tracked"
        )
        self.assertNotIn("agreement_grant_token", tracked.field_id.mapped("name"))
        chatter = "\n".join(
            [str(m.body or "") + str(m.subject or "") for m in messages]
            + ["%s %s" % (t.old_value_char or "", t.new_value_char or "") for t in tracked]
        )
        self._assert_no_token(chatter, self.tokens + ("wrong-app-secret-123",))
        self._assert_no_token(backend.last_error)
