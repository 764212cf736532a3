"""Test helpers: the e-conomic sandbox as a subprocess, its admin API, log capture."""

import contextlib
import json
import logging
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

from odoo.tests import TransactionCase, new_test_user

#: the addon's directory: ``python -m economic_sandbox`` runs from here
ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: what the helpers wait for the sandbox to start
SANDBOX_START_TIMEOUT = 30
#: requests to the admin API (Odoo's test patch raises anything below 10 s anyway)
ADMIN_TIMEOUT = 30

_logger = logging.getLogger(__name__)


class SandboxProcess:
    """``python -m economic_sandbox`` in a subprocess.

    ``start()`` returns the JSON object the sandbox prints on its first stdout line
    (``rest_url``, ``apis_url``, the tokens, ``admin_url``); ``stop()`` terminates it.
    """

    def __init__(self, seed="demo", **counts):
        self.args = ["--seed", seed]
        for name, value in counts.items():
            self.args += ["--%s" % name, str(value)]
        self.process = None
        self.info = None
        self._stderr = None

    def start(self):
        self._stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "economic_sandbox", "--host", "127.0.0.1", *self.args],
            cwd=ADDON_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        line = self._read_first_line()
        try:
            self.info = json.loads(line)
        except ValueError:
            self.stop()
            raise RuntimeError(
                "The e-conomic sandbox did not print its JSON line: %r" % line[:500]
            ) from None
        # keep draining stdout so the sandbox never blocks on a full pipe
        threading.Thread(target=self._drain, daemon=True).start()
        return self.info

    def _read_first_line(self):
        stdout = self.process.stdout
        deadline = time.monotonic() + SANDBOX_START_TIMEOUT
        buf = b""
        while b"\n" not in buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                break
            ready, _w, _x = select.select([stdout], [], [], min(remaining, 0.5))
            if ready:
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
        if b"\n" not in buf:
            err = self._read_stderr()
            self.stop()
            raise RuntimeError(
                "The e-conomic sandbox did not start within %ss (stdout %r, stderr %r)"
                % (SANDBOX_START_TIMEOUT, buf[:500], err[-2000:])
            )
        return buf.split(b"\n", 1)[0].decode("utf-8", "replace")

    def _drain(self):
        with contextlib.suppress(OSError, ValueError):
            while os.read(self.process.stdout.fileno(), 65536):
                pass

    def _read_stderr(self):
        if not self._stderr:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stop(self):
        process, self.process = self.process, None
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        if process and process.stdout:
            with contextlib.suppress(OSError):
                process.stdout.close()
        if self._stderr:
            self._stderr.close()
            self._stderr = None

    # ------------------------------------------------------------------ admin API
    def admin(self, method, path, payload=None):
        """Call the sandbox's admin API; returns the decoded JSON answer (or None)."""
        response = requests.request(
            method,
            self.info["admin_url"] + path,
            json=payload,
            timeout=ADMIN_TIMEOUT,
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self, seed="demo", **counts):
        return self.admin("POST", "/reset", dict(counts, seed=seed))

    def add_fault(self, fault, path=None, method=None, **options):
        payload = dict(options, fault=fault)
        if path:
            payload["path"] = path
        if method:
            payload["method"] = method
        return self.admin("POST", "/faults", payload)


def closed_local_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def text(self):
        out = []
        for record in self.records:
            try:
                out.append(record.getMessage())
            except Exception:  # noqa: BLE001 - a broken record must not hide others
                out.append(repr(record.msg))
            if record.exc_info:
                out.append(logging.Formatter().formatException(record.exc_info))
        return "\n".join(out)


@contextlib.contextmanager
def capture_logs(*names):
    """Capture every record (DEBUG and up) of the named loggers, without printing them."""
    handler = _ListHandler()
    saved = []
    for name in names:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    try:
        yield handler
    finally:
        for logger, level, propagate in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


class EconomicSandboxCase(TransactionCase):
    """TransactionCase with one e-conomic sandbox (demo seed) for the whole class."""

    sandbox_seed = "demo"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = SandboxProcess(seed=cls.sandbox_seed)
        cls.sandbox_info = cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)

    def setUp(self):
        super().setUp()
        self.sandbox.reset(seed=self.sandbox_seed)

    @classmethod
    def _backend_vals(cls, **overrides):
        info = cls.sandbox_info
        vals = {
            "name": "Sandbox",
            "app_secret_token": info["app_secret_token"],
            "agreement_grant_token": info["agreement_grant_token"],
            "rest_url": info["rest_url"],
            "apis_url": info["apis_url"],
            "timeout": 20,
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _new_user(cls, login, groups, company=None, companies=None):
        company = company or cls.env.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[(6, 0, (companies or company).ids)],
        )

    def flush_tracking(self):
        """Run what a commit would run: tracking values are written at precommit."""
        self.env.flush_all()
        self.env.cr.precommit.run()
