"""The harness's parts (stdlib only): where Odoo, the virtualenv and PostgreSQL are, a throwaway
PostgreSQL cluster, and Odoo runs with their log checks. The commands are in ``harness.py``."""

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDON = "economic_sync"
#: installed beside the addon in the test database (the typical user's localisation)
DANISH_LOCALISATION = "l10n_dk"
#: the bridge modules shipped in ``bridges/`` (issue 18): each installs itself when the addon and
#: the Odoo app it bridges to (Point of Sale, Inventory) are both installed
BRIDGES_DIR = REPO / "bridges"


def bridges():
    """``{module name: folder}`` of the bridge modules in ``bridges/``."""
    if not BRIDGES_DIR.is_dir():
        return {}
    return {
        path.name: path
        for path in sorted(BRIDGES_DIR.iterdir())
        if (path / "__manifest__.py").is_file()
    }


ODOO_GIT = "https://github.com/odoo/odoo.git"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "economic_sync"
CACHED_ODOO = CACHE / "odoo-18.0"
PG_BIN_CANDIDATES = [
    os.environ.get("PG_BIN", ""),
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/14/bin",
]
# Lines of Odoo's log that fail the run (the oca_checklog_odoo rule).
BAD_LOG_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
# Known harmless warnings of the test runner itself, not of this addon.
LOG_ALLOWED = [
    re.compile(r"WARNING \S+ odoo\.modules\.loading: The models \[.*\] have no access rules"),
]


def say(msg):
    print(f"[harness] {msg}", file=sys.stderr, flush=True)


def die(msg, code=2):
    print(f"[harness] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


# --------------------------------------------------------------------------- Odoo discovery
def _is_odoo18_tree(path):
    release = Path(path) / "odoo" / "release.py"
    if not release.is_file():
        return False
    return re.search(r"^version_info = \(18,", release.read_text(), re.M) is not None


def find_odoo():
    """Return (kind, path_or_None, why). kind: 'src', 'installed' or None."""
    src = os.environ.get("ODOO_SRC")
    if src:
        if _is_odoo18_tree(src):
            return "src", Path(src).resolve(), f"ODOO_SRC={src}"
        return None, None, f"ODOO_SRC={src} is not an Odoo 18 source tree"
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r, sys; sys.exit(r.version_info[0] != 18)"],
        capture_output=True,
    )
    if probe.returncode == 0:
        return "installed", None, f"importable odoo package ({sys.executable})"
    if _is_odoo18_tree(CACHED_ODOO):
        return "src", CACHED_ODOO, f"cache {CACHED_ODOO}"
    return (
        None,
        None,
        (f"no Odoo 18 found (no $ODOO_SRC, no importable odoo, nothing in {CACHED_ODOO})"),
    )


def fetch_odoo():
    """Shallow-clone upstream Odoo 18.0 into the cache, when the network allows."""
    if not shutil.which("git"):
        return False
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / "odoo-18.0.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    say(f"fetching Odoo 18.0 (shallow clone) into {CACHED_ODOO} ...")
    res = subprocess.run(
        ["git", "clone", "--depth", "1", "--branch", "18.0", ODOO_GIT, str(tmp)],
        timeout=1800,
    )
    if res.returncode != 0 or not _is_odoo18_tree(tmp):
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    tmp.rename(CACHED_ODOO)
    return True


# --------------------------------------------------------------------------- virtualenv
def venv_dir():
    return Path(os.environ.get("ECONOMIC_SYNC_VENV") or CACHE / "venv")


def venv_python():
    return venv_dir() / "bin" / "python"


def _odoo_requirements(odoo_src):
    """Odoo's pinned requirements, adapted to what installs from PyPI on Python 3.11+."""
    out = []
    for line in (odoo_src / "requirements.txt").read_text().splitlines():
        name = re.split(r"[=<>;\s\[]", line.strip(), maxsplit=1)[0].lower()
        if not name or name.startswith("#"):
            continue
        if name in ("python-ldap", "gevent", "greenlet"):
            continue
        if name == "psycopg2":
            line = line.replace("psycopg2==", "psycopg2-binary==", 1)
        if name == "cbor2" and "5.4.2" in line:
            line = "cbor2==5.6.2 ; python_version < '3.12'"
        out.append(line)
    return out


def ensure_venv(odoo_src=None):
    """Create/refresh the virtualenv when its requirements changed; return its python."""
    reqs = (REPO / "requirements-dev.txt").read_text().splitlines()
    if odoo_src:
        reqs += _odoo_requirements(odoo_src)
    text = "\n".join(reqs) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()
    vdir = venv_dir()
    stamp = vdir / ".economic_sync-requirements.sha256"
    if stamp.is_file() and stamp.read_text().strip() == digest and venv_python().exists():
        return venv_python()
    say(f"installing Python dependencies into {vdir} (once) ...")
    if not venv_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(vdir)], check=True)
    req_file = vdir / "requirements.txt"
    req_file.write_text(text)
    pip = [str(venv_python()), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(pip + ["--upgrade", "pip", "wheel", "setuptools"], check=True)
    res = subprocess.run(pip + ["-r", str(req_file)])
    if res.returncode != 0:
        die("pip could not install the requirements (see above)")
    stamp.write_text(digest + "\n")
    return venv_python()


# --------------------------------------------------------------------------- PostgreSQL
def pg_bin():
    for cand in PG_BIN_CANDIDATES:
        if cand and (Path(cand) / "initdb").is_file():
            return Path(cand)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg_owner(cmd):
    """initdb and postgres refuse root: run them as the 'postgres' system user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


class PgCluster:
    """A private PostgreSQL cluster on loopback, user ``odoo`` with trust auth."""

    def __init__(self, datadir, port=None):
        self.datadir = Path(datadir)
        self.port = port or free_port()
        self.bin = pg_bin()
        if not self.bin:
            die("PostgreSQL binaries not found (set PG_BIN to the folder holding initdb)")
        self.sockdir = self.datadir.parent / "socket"
        self.logfile = self.datadir.parent / "postgres.log"
        self.user = "odoo"

    def _chown(self, *paths):
        if os.geteuid() == 0:
            for p in paths:
                subprocess.run(["chown", "-R", "postgres:postgres", str(p)], check=True)

    def init(self):
        if (self.datadir / "PG_VERSION").is_file():
            return
        self.datadir.mkdir(parents=True, exist_ok=True)
        self.sockdir.mkdir(parents=True, exist_ok=True)
        self._chown(self.datadir.parent)
        res = subprocess.run(
            _as_pg_owner(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.datadir),
                    "-A",
                    "trust",
                    "-U",
                    self.user,
                    "-E",
                    "UTF8",
                    "--locale=C",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            die(f"initdb failed: {res.stderr.strip()}")

    def running(self):
        return (
            subprocess.run(
                _as_pg_owner([str(self.bin / "pg_ctl"), "-D", str(self.datadir), "status"]),
                capture_output=True,
            ).returncode
            == 0
        )

    def start(self):
        self.init()
        self.sockdir.mkdir(parents=True, exist_ok=True)
        self._chown(self.sockdir)
        if self.logfile.exists():
            self._chown(self.logfile)
        opts = (
            f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        res = subprocess.run(
            _as_pg_owner(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-o",
                    opts,
                    "-l",
                    str(self.logfile),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            die(f"PostgreSQL did not start: {res.stderr.strip() or res.stdout.strip()}")

    def stop(self):
        subprocess.run(
            _as_pg_owner(
                [str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"]
            ),
            capture_output=True,
        )

    def odoo_args(self):
        return ["--db_host", "127.0.0.1", "--db_port", str(self.port), "--db_user", self.user]


# --------------------------------------------------------------------------- Odoo runs
class OdooRunner:
    def __init__(self, python, odoo_kind, odoo_src, pg, workdir, addons_dir=None):
        self.python = str(python)
        self.odoo_src = odoo_src
        self.pg = pg
        self.workdir = Path(workdir)
        # Odoo finds addons by folder name: expose the repository as 'economic_sync'. The link
        # must live outside the repository, or the tree would contain itself (i18n export,
        # file walkers).
        self.addons_dir = Path(addons_dir) if addons_dir else self.workdir / "addons"
        if REPO in self.addons_dir.resolve().parents or self.addons_dir.resolve() == REPO:
            die(f"the addons folder {self.addons_dir} must be outside the repository")
        self.addons_dir.mkdir(parents=True, exist_ok=True)
        link = self.addons_dir / ADDON
        if link.is_symlink() and link.resolve() != REPO:
            link.unlink()
        if not link.exists():
            link.symlink_to(REPO, target_is_directory=True)
        self.addon_path = link
        for name, folder in bridges().items():  # the bridges, by their module names
            blink = self.addons_dir / name
            if blink.is_symlink() and blink.resolve() != folder:
                blink.unlink()
            if not blink.exists():
                blink.symlink_to(folder, target_is_directory=True)
        paths = [str(self.addons_dir)]
        if odoo_src:
            paths.insert(0, str(odoo_src / "odoo" / "addons"))
        self.addons_path = ",".join(paths)
        self.env = dict(os.environ)
        if odoo_src:
            self.env["PYTHONPATH"] = os.pathsep.join(
                p for p in [str(odoo_src), self.env.get("PYTHONPATH", "")] if p
            )
        self.env.pop("ODOO_RC", None)
        self.data_dir = self.workdir / "filestore"

    def base_cmd(self, db):
        return [
            self.python,
            "-m",
            "odoo",
            "-d",
            db,
            *self.pg.odoo_args(),
            "--addons-path",
            self.addons_path,
            "--data-dir",
            str(self.data_dir),
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(free_port()),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
        ]

    def run(self, args, logfile, timeout=3600, script=None):
        with open(logfile, "w") as log:
            proc = subprocess.run(
                args,
                input=script,
                text=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=str(self.workdir),
                timeout=timeout,
            )
        return proc.returncode

    def shell(self, db, script, logfile, log_level="info"):
        """Run ``script`` in ``odoo shell`` on ``db``; its output goes to ``logfile``."""
        cmd = [self.python, "-m", "odoo", "shell", *self.base_cmd(db)[3:]]
        return self.run(cmd + ["--log-level", log_level, "--no-http"], logfile, script=script)

    def write_config(self, db):
        cfg = self.workdir / "odoo.cfg"
        cfg.write_text(
            "[options]\n"
            f"addons_path = {self.addons_path}\n"
            f"db_host = 127.0.0.1\ndb_port = {self.pg.port}\ndb_user = {self.pg.user}\n"
            f"db_name = {db}\ndata_dir = {self.data_dir}\n"
            "http_interface = 127.0.0.1\n"
            # pytest-odoo imports the test framework before it sets the flag itself.
            "test_enable = True\n"
        )
        return cfg


def check_log(logfile):
    bad = []
    for line in Path(logfile).read_text(errors="replace").splitlines():
        if BAD_LOG_LINE.match(line) and not any(a.search(line) for a in LOG_ALLOWED):
            bad.append(line)
    return bad


def count_odoo_tests(logfile):
    """Read Odoo's closing test summary: 'N failed, N error(s) of N tests'."""
    text = Path(logfile).read_text(errors="replace")
    m = re.findall(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests", text)
    if m:
        failed, errors, total = map(int, m[-1])
        return total - failed - errors, failed + errors
    m = re.findall(r"0 failed, 0 error\(s\) of (\d+) tests", text)
    return (int(m[-1]), 0) if m else (0, 0)
