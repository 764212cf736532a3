"""Odoo in separate processes for the process tests: ``odoo shell`` runs a script on a database
of its own, with real commits, as the cron worker and the web workers do.

The harness (``tools/harness.py``, step "process tests") describes its throwaway Odoo set-up in
environment variables; see ``OdooSetup.from_environ``.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Odoo log lines that fail a run unless the test expects them (the harness's rule)
BAD_LOG_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
#: what every script starts with: ``result(**values)`` prints one line the test reads back
PREAMBLE = (
    "import json as _json\n"
    "def result(**values):\n"
    "    print('RESULT ' + _json.dumps(values, default=str), flush=True)\n"
)
#: the log line of a server whose registry is loaded (its cron threads then work)
REGISTRY_LOADED = r"Registry loaded in"
#: the environment variables the harness sets
ENV_PREFIX = "ECONOMIC_PROCESS_"


@dataclass
class OdooSetup:
    python: str
    addons_path: str
    db_host: str
    db_port: str
    db_user: str
    data_dir: str
    template: str
    log_dir: str

    @classmethod
    def from_environ(cls):
        names = ["python", "addons_path", "db_host", "db_port", "db_user", "data_dir", "template"]
        missing = [
            ENV_PREFIX + n.upper() for n in names if not os.environ.get(ENV_PREFIX + n.upper())
        ]
        if missing:
            raise RuntimeError(
                "The process tests run through the harness (python3 tools/harness.py test), "
                "which sets %s." % ", ".join(missing)
            )
        values = {n: os.environ[ENV_PREFIX + n.upper()] for n in names}
        values["log_dir"] = os.environ.get(ENV_PREFIX + "LOG_DIR") or ""
        return cls(**values)

    def connect(self, dbname="postgres"):
        import psycopg2

        cnx = psycopg2.connect(
            dbname=dbname, host=self.db_host, port=self.db_port, user=self.db_user
        )
        cnx.autocommit = True
        return cnx

    def filestore(self, dbname):
        return Path(self.data_dir) / "filestore" / dbname


class OdooDatabase:
    """A database copied from the template (``CREATE DATABASE ... TEMPLATE``), dropped at the
    end. ``run()`` and ``start()`` run scripts on it in ``odoo shell`` subprocesses."""

    def __init__(self, setup, name):
        self.setup = setup
        self.name = name
        self.runs = []

    def create(self):
        cnx = self.setup.connect()
        try:
            with cnx.cursor() as cr:
                cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (self.name, self.setup.template))
        finally:
            cnx.close()
        source = self.setup.filestore(self.setup.template)
        if source.is_dir():
            shutil.copytree(source, self.setup.filestore(self.name))
        return self

    def drop(self):
        cnx = self.setup.connect()
        try:
            with cnx.cursor() as cr:
                cr.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.name)
        finally:
            cnx.close()
        shutil.rmtree(self.setup.filestore(self.name), ignore_errors=True)

    def sql(self, query, params=None):
        """Rows of ``query`` on this database (a connection of the test process)."""
        cnx = self.setup.connect(self.name)
        try:
            with cnx.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchall() if cr.description else []
        finally:
            cnx.close()

    def command(self, log_level="info", sub="shell", options=("--no-http",), cron_threads=0):
        """``odoo <sub>`` on this database with the harness's connection options
        (``cron_threads``: ``--max-cron-threads``)."""
        s = self.setup
        return [
            s.python,
            "-m",
            "odoo",
            sub,
            "-d",
            self.name,
            "--db_host",
            s.db_host,
            "--db_port",
            s.db_port,
            "--db_user",
            s.db_user,
            "--addons-path",
            s.addons_path,
            "--data-dir",
            s.data_dir,
            *options,
            "--max-cron-threads",
            str(cron_threads),
            "--log-level",
            log_level,
        ]

    def start(self, script, log_level="info"):
        """Start ``script`` in ``odoo shell``; returns the running ``OdooProcess``."""
        log = None
        if self.setup.log_dir:
            Path(self.setup.log_dir).mkdir(parents=True, exist_ok=True)
            log = Path(self.setup.log_dir) / ("%s-%d.log" % (self.name, len(self.runs) + 1))
        process = OdooProcess(self.command(log_level), PREAMBLE + script, log)
        self.runs.append(process)
        return process

    def serve(self, port, log_level="info"):
        """Start Odoo's HTTP server on this database alone (``--db-filter``; threaded, as with
        no workers) on loopback ``port``; returns the ``OdooProcess`` once it listens."""
        options = (
            "--db-filter",
            "^%s$" % re.escape(self.name),
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(port),
            "--workers",
            "0",
        )
        cmd = self.command(log_level, sub="server", options=options)
        log = None
        if self.setup.log_dir:
            Path(self.setup.log_dir).mkdir(parents=True, exist_ok=True)
            log = Path(self.setup.log_dir) / ("%s-server.log" % self.name)
        process = OdooProcess(cmd, "", log)
        self.runs.append(process)
        process.wait_for(r"HTTP service \(werkzeug\) running on", timeout=120)
        return process

    def serve_cron(self, cron_threads=2, log_level="info", wait=True):
        """Start an Odoo server on this database with ``cron_threads`` cron worker threads and
        no HTTP (``odoo server --no-http --max-cron-threads N``: what one server of several
        sharing a database runs); returns the ``OdooProcess`` once its registry is loaded (its
        cron threads then take the jobs that are ready at their next poll of the database,
        or at once when woken: ``wake_crons``)."""
        cmd = self.command(log_level, sub="server", cron_threads=cron_threads)
        log = None
        if self.setup.log_dir:
            Path(self.setup.log_dir).mkdir(parents=True, exist_ok=True)
            log = Path(self.setup.log_dir) / ("%s-cron-%d.log" % (self.name, len(self.runs) + 1))
        process = OdooProcess(cmd, "", log)
        self.runs.append(process)
        if wait:
            process.wait_for(REGISTRY_LOADED, timeout=120)
        return process

    def wake_crons(self):
        """What ``ir.cron._trigger`` does after its commit (``_notifydb``): wake every cron
        thread of every server now (they otherwise poll the database once a minute)."""
        cnx = self.setup.connect("postgres")
        try:
            with cnx.cursor() as cr:
                cr.execute("SELECT pg_notify('cron_trigger', %s)", [self.name])
        finally:
            cnx.close()

    def run(self, script, timeout=120, allow=(), log_level="info"):
        """Run ``script`` to its end. Fails on a non-zero exit or a WARNING/ERROR line of
        Odoo's log that matches none of the ``allow`` patterns; returns the process."""
        process = self.start(script, log_level=log_level)
        process.wait(timeout)
        process.check(allow=allow)
        return process


class OdooProcess:
    """One ``odoo shell`` subprocess; its output (stdout and stderr) is collected line by line."""

    def __init__(self, cmd, script, log_path=None):
        self.log_path = log_path
        self.lines = []
        self._cond = threading.Condition()
        self.killed = False
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: kill() ends it and its children
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self.proc.stdin.write(script)
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def _read(self):
        log = open(self.log_path, "w") if self.log_path else None
        try:
            for line in self.proc.stdout:
                if log:
                    log.write(line)
                    log.flush()
                with self._cond:
                    self.lines.append(line.rstrip("\n"))
                    self._cond.notify_all()
        finally:
            if log:
                log.close()
            with self._cond:
                self._cond.notify_all()

    @property
    def output(self):
        with self._cond:
            return "\n".join(self.lines)

    def wait_for(self, pattern, timeout=60):
        """Wait for an output line matching ``pattern`` (a regular expression); return it."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                for line in self.lines[seen:]:
                    if regex.search(line):
                        return line
                seen = len(self.lines)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(
                        "no line matching %r within %ss (exit %s); output:\n%s"
                        % (pattern, timeout, self.proc.poll(), "\n".join(self.lines[-60:]))
                    )
                self._cond.wait(min(remaining, 0.5))

    def kill(self):
        """SIGKILL: the process ends at once, nothing more is committed."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.killed = True
        self.proc.wait(30)
        self._reader.join(30)

    def wait(self, timeout=120):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                "odoo shell did not end within %ss; output:\n%s" % (timeout, self.output[-6000:])
            ) from None
        self._reader.join(30)
        return self.proc.returncode

    def bad_lines(self, allow=()):
        patterns = [re.compile(p) for p in allow]
        return [
            line
            for line in self.lines
            if BAD_LOG_LINE.match(line) and not any(p.search(line) for p in patterns)
        ]

    def check(self, allow=()):
        assert self.proc.returncode == 0, "odoo shell exited with %s; output:\n%s" % (
            self.proc.returncode,
            self.output[-6000:],
        )
        bad = self.bad_lines(allow)
        assert not bad, "WARNING/ERROR lines in Odoo's log:\n" + "\n".join(bad[:40])

    def results(self):
        """The values the script printed with ``result(...)``, merged in order."""
        values = {}
        for line in self.lines:
            if line.startswith("RESULT "):
                values.update(json.loads(line[len("RESULT ") :]))
        return values

    def count(self, pattern):
        regex = re.compile(pattern)
        return sum(1 for line in self.lines if regex.search(line))


def wait_for_hanging_post(sandbox, path, timeout=90):
    """The sandbox's log line of a POST to ``path`` that e-conomic committed and holds
    unanswered (the ``hang_after_commit`` fault): the moment to kill the process that sent it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for request in sandbox.requests():
            if (
                request["method"] == "POST"
                and request["path"] == path
                and request["status"] == "hanging"
            ):
                return request
        time.sleep(0.2)
    raise AssertionError("the create never reached e-conomic")
