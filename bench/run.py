"""`make bench`: seed, serve with gunicorn, load every key page with wrk, report.

    .venv/bin/python bench/run.py            # full: 100,000 products, 15 s per page
    .venv/bin/python bench/run.py --quick    # 2,000 products, 5 s per page
    .venv/bin/python bench/run.py --profile category,product   # pyinstrument only

The run owns its services, so it never touches the ones `make test` uses
(scripts/services): a PostgreSQL cluster whose data stays in var/bench/pgdata
(database `dastavard_bench`, or `dastavard_bench_quick`), seeded only when its
product count differs, and a throwaway Redis; both on free ports and stopped at
the end. The site runs with the production settings (DEBUG off) under gunicorn;
every ratio divides by the trivial templated view the same server serves at
/__bench__/trivial/ (bench/site/: the same settings, middleware and context
processors), measured just before each page and at the start and end; a bare
Django view (bench/trivial/: no middleware) is measured too, for reference.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import SITE_TRIVIAL  # noqa: E402
from bench.report import DOC, DOC_JSON, markdown, redacted, write_doc  # noqa: E402

VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"

DB_USER = DB_PASSWORD = "dastavard"  # noqa: S105  (a local throwaway role)
HOST = "127.0.0.1"
GUNICORN_FLAGS = ["--workers", "2", "--worker-class", "sync", "--timeout", "120"]
WRK_THREADS, WRK_CONNECTIONS = 2, 8
PAGE_CACHE_SECONDS = 30  # for the "page cache on" server, as in production
# The "no cache" server: nothing read from the catalogue is kept between requests
# (the category menu and the set of open booths still are).
NO_CACHE = {
    "PAGE_CACHE_SECONDS": "0",
    "CARD_CACHE_SECONDS": "0",
    "LISTING_CACHE_SECONDS": "0",
}
# Not a secret: a fixed key so that the cookies the probe makes stay valid for
# the gunicorn workers of the same run.
BENCH_SECRET_KEY = "bench-only-not-a-secret-" + "0123456789abcdef" * 4  # noqa: S105

MODES = {
    # pair: seconds of the trivial view measured right before each page
    "full": {
        "products": 100_000,
        "duration": 15,
        "warmup": 3,
        "pair": 5,
        "db": "dastavard_bench",
    },
    "quick": {
        "products": 2_000,
        "duration": 5,
        "warmup": 1,
        "pair": 2,
        "db": "dastavard_bench_quick",
    },
}


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)  # noqa: T201


def die(message: str) -> None:
    log(f"error: {message}")
    raise SystemExit(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(cmd: list[str], check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=check, **kwargs)  # noqa: S603


def capture(cmd: list[str], check: bool = True) -> str:
    """What a command prints (stdout, else stderr)."""
    out = run(cmd, check=check, capture_output=True, text=True)
    return out.stdout or out.stderr


# --- tools ----------------------------------------------------------------------


def pg_bindir() -> Path | None:
    dirs = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
    )
    dirs = [d for d in dirs if (d / "pg_ctl").exists()]
    return dirs[-1] if dirs else None


def ensure_tools() -> None:
    """wrk, PostgreSQL and Redis from Debian, installed when missing (as root)."""
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk")
    if pg_bindir() is None:
        missing.append("postgresql")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if not missing:
        return
    if os.geteuid() != 0:
        die(f"missing Debian packages: {' '.join(missing)} (install them as root)")
    log(f"installing {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
    run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        env=env,
        stdout=subprocess.DEVNULL,
    )


# --- PostgreSQL: a cluster of its own whose data is kept between runs --------------


class Postgres:
    def __init__(self) -> None:
        self.bin = pg_bindir()
        self.data = VAR / "pgdata"
        self.rundir = VAR / "pgrun"
        self.log = VAR / "postgres.log"
        self.port = 0

    def as_postgres(self, *cmd: str, **kwargs) -> subprocess.CompletedProcess:
        return run(["runuser", "-u", "postgres", "--", *cmd], **kwargs)

    def ctl(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), *args, **kwargs
        )

    def running(self) -> bool:
        try:
            self.ctl("status", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            return False
        return True

    def start(self) -> None:
        if os.geteuid() != 0:
            die("the benchmark runs PostgreSQL as the postgres user, so run it as root")
        for path in (VAR, self.rundir):
            path.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.rundir, "postgres")
        try:
            self.as_postgres("test", "-x", str(self.rundir), stderr=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            die(
                f"the postgres user cannot reach {VAR}; the checkout must be readable "
                "by other users (like /work/main), e.g. chmod o+x on its parents"
            )
        if not (self.data / "PG_VERSION").exists():
            log(
                f"creating the benchmark PostgreSQL cluster in {self.data.relative_to(ROOT)}"
            )
            self.data.mkdir(parents=True, exist_ok=True)
            shutil.chown(self.data, "postgres", "postgres")
            self.data.chmod(0o700)
            self.as_postgres(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust",
                "--auth-host=scram-sha-256",
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.write(
                    "\n# bench/run.py\n"
                    "listen_addresses = '127.0.0.1'\n"
                    "shared_buffers = 256MB\n"
                    "synchronous_commit = off\n"
                    "max_connections = 50\n"
                )
        if self.running():
            log("a benchmark PostgreSQL was left running; stopping it first")
            self.ctl("-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)
        self.port = free_port()
        self.log.touch()
        shutil.chown(self.log, "postgres")
        self.ctl(
            "-l", str(self.log), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self.rundir}", "start",
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.psql(
            "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"'{DB_USER}') THEN CREATE ROLE {DB_USER} LOGIN SUPERUSER PASSWORD "
            f"'{DB_PASSWORD}'; END IF; END$$"
        )

    def psql(self, sql: str, db: str = "postgres") -> str:
        out = self.as_postgres(
            str(self.bin / "psql"), "-h", str(self.rundir), "-p", str(self.port),
            "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qtAc", sql,
            capture_output=True, text=True,
        )  # fmt: skip
        return out.stdout.strip()

    def ensure_database(self, name: str) -> None:
        # `name` is one of MODES' database names, never input.
        if not self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608
            self.psql(f"CREATE DATABASE {name} OWNER {DB_USER}")

    def url(self, name: str) -> str:
        return f"postgres://{DB_USER}:{DB_PASSWORD}@{HOST}:{self.port}/{name}"

    def version(self) -> str:
        return self.psql("SHOW server_version")

    def stop(self) -> None:
        if self.port and self.running():
            self.ctl("-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)


class Redis:
    def __init__(self) -> None:
        self.dir = VAR / "redis"
        self.pidfile = self.dir / "redis.pid"
        self.port = 0

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        run(
            [
                "redis-server", "--bind", HOST, "--port", str(self.port),
                "--save", "", "--appendonly", "no", "--daemonize", "yes",
                "--pidfile", str(self.pidfile), "--logfile", str(self.dir / "redis.log"),
                "--dir", str(self.dir),
            ]
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection((HOST, self.port), 1) as s,
            ):
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        die("Redis did not answer")

    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def version(self) -> str:
        out = capture(["redis-server", "--version"])
        match = re.search(r"v=(\S+)", out)
        return match.group(1) if match else out.strip()

    def stop(self) -> None:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, ValueError):
            pid = int(self.pidfile.read_text())
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.05)


# --- gunicorn ------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, name: str, app: str, env: dict[str, str]) -> None:
        self.name, self.app, self.env = name, app, env
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        cmd = [
            PYTHON, "-m", "gunicorn", *GUNICORN_FLAGS,
            "--bind", f"{HOST}:{self.port}", "--chdir", str(ROOT),
            "--error-logfile", str(VAR / f"gunicorn-{self.name}.log"),
            "--log-level", "warning", self.app,
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, env=self.env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                die(
                    f"gunicorn ({self.name}) exited; see var/bench/gunicorn-{self.name}.log"
                )
            with contextlib.suppress(OSError):
                socket.create_connection((HOST, self.port), 1).close()
                if len(self.workers()) == 2:
                    return
            time.sleep(0.2)
        die(f"gunicorn ({self.name}) did not start")

    def workers(self) -> list[int]:
        assert self.proc is not None  # noqa: S101
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        with contextlib.suppress(FileNotFoundError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def peak_rss_kib(self) -> list[int]:
        """VmHWM (the peak resident set) of each worker, in KiB."""
        peaks = []
        for pid in self.workers():
            with contextlib.suppress(FileNotFoundError):
                status = Path(f"/proc/{pid}/status").read_text()
                match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
                if match:
                    peaks.append(int(match.group(1)))
        return peaks

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    location = response.getheader("Location", "")
    conn.close()
    return response.status, len(body), location


# --- wrk -------------------------------------------------------------------------------


def wrk(url: str, seconds: int, cookie: str = "") -> dict:
    cmd = [
        "wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s",
        "--latency", "--timeout", "10s", "-s", str(WRK_SCRIPT),
    ]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = run([*cmd, url], capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    socket_errors = sum(
        raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return {
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 1),
        "p90_ms": round(raw["latency_us"]["p90"] / 1000, 1),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 1),
        "errors": raw["non2xx"] + socket_errors,
        "raw": raw,
    }


def measure(
    label: str, url: str, mode: dict, cookie: str = "", trivial: str = ""
) -> dict:
    """wrk on `url` after a warm-up; with `trivial`, first the trivial view for
    mode["pair"] seconds, so the page's ratio compares two runs seconds apart
    (whatever else loads the machine then weighs on both)."""
    pair = wrk(trivial, mode["pair"]) if trivial else None
    wrk(url, mode["warmup"], cookie)  # warm both workers (templates, caches, pools)
    result = wrk(url, mode["duration"], cookie)
    if pair:
        result["trivial_rps"] = pair["rps"]
        result["ratio"] = round(result["rps"] / pair["rps"], 3)
    log(
        f"{label:<34} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>6.1f} ms"
        f"  p99 {result['p99_ms']:>6.1f} ms  errors {result['errors']}"
        + (
            f"  ratio {result['ratio'] * 100:.0f} % of {pair['rps']:.0f}"
            if pair
            else ""
        )
    )
    return result


# --- the machine ---------------------------------------------------------------------


def machine(pg: Postgres, redis: Redis) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    mem = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    wrk_version = capture(["wrk", "--version"], check=False)
    code = "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"
    versions = capture([PYTHON, "-c", code]).split()
    return {
        "nproc": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "ram_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": pg.version(),
        "redis": redis.version(),
        "django": versions[0],
        "gunicorn": versions[1],
        "wrk": wrk_version.split(" [")[0].strip(),
    }


# --- the run ------------------------------------------------------------------------------


def django_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        # Production settings plus the trivial view's URL (bench/site/settings.py).
        DJANGO_SETTINGS_MODULE="bench.site.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="bench",
        SECRET_KEY=BENCH_SECRET_KEY,
        ALLOWED_HOSTS=f"{HOST},localhost",
        SMS_GATEWAY_URL="https://sms.invalid/send",
        # Plain HTTP on the loopback: no redirect to https.
        SECURE_SSL_REDIRECT="false",
        # Off for the probe and the plain site server; the second one turns it on.
        PAGE_CACHE_SECONDS="0",
        MEDIA_ROOT=str(VAR / "media"),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, **kwargs)


def demo_product_count(env: dict[str, str]) -> int:
    code = (
        "from catalog.models import Product;"
        "print(Product.objects.filter(upc__startswith='DV').count())"
    )
    out = manage(env, "shell", "-c", code, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def hold(env: dict[str, str]) -> None:
    """Keep the services up for profiling by hand; stop them on Ctrl-C or SIGTERM."""
    keys = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX",
            "SECRET_KEY", "ALLOWED_HOSTS", "SMS_GATEWAY_URL", "SECURE_SSL_REDIRECT",
            "MEDIA_ROOT")  # fmt: skip
    path = VAR / "bench.env"
    path.write_text("".join(f"export {k}={env[k]}\n" for k in keys))
    log(f"services up; `source {path.relative_to(ROOT)}`; Ctrl-C stops them")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)
    path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="2,000 products, 5 s a page"
    )
    parser.add_argument("--products", type=int, help="override the product count")
    parser.add_argument("--duration", type=int, help="override the seconds per page")
    parser.add_argument(
        "--pages", help="comma-separated page keys to load (default all)"
    )
    parser.add_argument(
        "--profile",
        help="instead of loading: pyinstrument over --requests requests of these page keys",
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--hold",
        action="store_true",
        help="set up, write var/bench/bench.env, and keep the services up until Ctrl-C",
    )
    parser.add_argument(
        "--no-doc", action="store_true", help="do not write docs/ (full mode writes it)"
    )
    args = parser.parse_args()

    started = time.monotonic()
    name = "quick" if args.quick else "full"
    mode = dict(MODES[name])
    if args.products is not None:
        mode["products"] = args.products
    if args.duration is not None:
        mode["duration"] = args.duration
    VAR.mkdir(parents=True, exist_ok=True)
    ensure_tools()

    pg, redis = Postgres(), Redis()
    servers: list[Gunicorn] = []
    timings: dict[str, float] = {}
    try:
        pg.start()
        redis.start()
        pg.ensure_database(mode["db"])
        env = django_env(pg.url(mode["db"]), redis.url())

        step = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        timings["migrate_seconds"] = time.monotonic() - step
        step = time.monotonic()
        have = demo_product_count(env)
        seed_reused = have == mode["products"]
        if seed_reused:
            log(f"{mode['db']} already holds {have:,} demo products: reusing it")
        else:
            log(
                f"{mode['db']} holds {have:,} demo products; seeding {mode['products']:,}"
            )
            manage(env, "seed_demo", "--products", str(mode["products"]), "-v1")
        # Orders for the inbox row (bench/pages.py INBOX_PARTS parts in one booth):
        # every bulk-written demo order has a part in the same booth. Idempotent.
        seeded = manage(
            env, "shell", "-c",
            "from bench.pages import INBOX_PARTS; from marketplace.demo import orders as demo; "
            "print(demo.seed_orders(demo.SERVICE_ORDERS + INBOX_PARTS, buyer_username=''))",
            capture_output=True, text=True,
        ).stdout.strip().splitlines()  # fmt: skip
        log(f"demo orders added: {seeded[-1] if seeded else '?'}")
        # Fresh planner statistics, as autovacuum would have them on a live site
        # (right after a bulk seed they are missing and the plans are poor).
        pg.psql("VACUUM ANALYZE", db=mode["db"])
        timings["seed_seconds"] = time.monotonic() - step
        step = time.monotonic()
        manage(env, "collectstatic", "--noinput", "-v0")
        timings["collectstatic_seconds"] = time.monotonic() - step

        if args.hold:
            hold(env)
            return
        step = time.monotonic()
        probe_out = VAR / f"probe-{name}.json"
        probe_cmd = [PYTHON, str(ROOT / "bench" / "probe.py"), "--out", str(probe_out)]
        if args.profile:
            probe_cmd += ["--profile", args.profile, "--requests", str(args.requests)]
        run(probe_cmd, env=env, cwd=ROOT)
        probe = json.loads(probe_out.read_text())
        timings["probe_seconds"] = time.monotonic() - step
        if args.profile:
            for item in probe["profiles"]:
                log(
                    f"profile {item['page']}: {item['ms_per_request']} ms a request "
                    f"in-process; {item['profile']}"
                )
            return
        pages = probe["pages"]
        if args.pages:
            wanted = set(args.pages.split(","))
            pages = [p for p in pages if p["key"] in wanted]
        for page in pages:
            if not page.get("missing") and page["status"] != 200:
                die(f"{page['path']} answered {page['status']} in-process")

        for page in pages:
            if not page.get("missing") and not page["same_with_caches"]:
                die(f"{page['path']} differs with the catalogue caches on and off")
        if not all(c["ok"] for c in probe["page_cache_checks"]):
            die(f"page cache checks failed: {probe['page_cache_checks']}")
        trivial_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
        cached_env = {**env, "PAGE_CACHE_SECONDS": str(PAGE_CACHE_SECONDS)}
        app = "marketplace.wsgi:application"
        site_nocache = Gunicorn("site-nocache", app, {**env, **NO_CACHE})
        site = Gunicorn("site", app, env)
        site_cached = Gunicorn("site-cached", app, cached_env)
        trivial = Gunicorn("trivial", "bench.trivial.wsgi:application", trivial_env)
        servers += [site_nocache, site, site_cached, trivial]
        for server in servers:
            server.start()
        for port, path in [(s_.port, SITE_TRIVIAL) for s_ in servers[:3]] + [
            (trivial.port, "/")
        ]:
            status, size, _ = http_get(port, path)
            if status != 200:
                die(f"the trivial view {path} on port {port} answered {status}")
        for page in pages:
            if page.get("missing"):
                continue
            status, size, location = http_get(site.port, page["path"], page["cookie"])
            if status != 200:
                die(f"{page['path']} answered {status} {location} under gunicorn")
            page["http_bytes"] = size

        step = time.monotonic()
        log(
            f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{mode['duration']}s per page, "
            f"{mode['products']:,} products"
        )
        load_start = os.getloadavg()[0]
        # The yardstick: every ratio, on every server, divides by the trivial view
        # of the page-cache-off server measured just before the page. The same
        # view on the other two servers is measured once here, to show it is the
        # same view at the same speed (bench/README.md, "The yardstick").
        yardstick = site.base + SITE_TRIVIAL
        trivial_start = measure("trivial view (start)", yardstick, mode)
        trivial_servers = {
            server.name: measure(
                f"trivial view on {server.name}", server.base + SITE_TRIVIAL, mode
            )["rps"]
            for server in (site_nocache, site, site_cached)
        }
        bare_start = measure("bare Django view (start)", trivial.base + "/", mode)
        for page in pages:
            if page.get("missing"):
                log(f"{page['label']:<34} {page['missing']}")
                continue
            page["nocache_run"] = measure(
                f"{page['key']} (no cache)",
                site_nocache.base + page["path"],
                mode,
                page["cookie"],
                trivial=yardstick,
            )
            page.update(
                measure(
                    page["key"],
                    site.base + page["path"],
                    mode,
                    page["cookie"],
                    trivial=yardstick,
                )
            )
        for page in pages:
            if page.get("cached"):
                page["cached_run"] = measure(
                    f"{page['key']} (page cache on)",
                    site_cached.base + page["path"],
                    mode,
                    trivial=yardstick,
                )
        trivial_end = measure("trivial view (end)", site.base + SITE_TRIVIAL, mode)
        bare_end = measure("bare Django view (end)", trivial.base + "/", mode)
        load_end = os.getloadavg()[0]
        timings["load_seconds"] = time.monotonic() - step

        mean = (trivial_start["rps"] + trivial_end["rps"]) / 2
        paired = [
            run_["trivial_rps"]
            for page in pages
            for run_ in (
                page,
                page.get("nocache_run") or {},
                page.get("cached_run") or {},
            )
            if "trivial_rps" in run_
        ]
        rss = {
            "site": site.peak_rss_kib(),
            "site_nocache": site_nocache.peak_rss_kib(),
            "site_cached": site_cached.peak_rss_kib(),
            "trivial": trivial.peak_rss_kib(),
        }
        results = {
            "mode": name,
            "finished_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(pg, redis),
            "parameters": {
                "products": mode["products"],
                "public_products": probe["public_products"],
                "duration": mode["duration"],
                "warmup": mode["warmup"],
                "wrk_threads": WRK_THREADS,
                "wrk_connections": WRK_CONNECTIONS,
                "pair": mode["pair"],
                "gunicorn": GUNICORN_FLAGS,
                "database": mode["db"],
                "page_cache_seconds": PAGE_CACHE_SECONDS,
            },
            "page_cache_checks": probe["page_cache_checks"],
            "seed_reused": seed_reused,
            "trivial": {
                "start": trivial_start,
                "end": trivial_end,
                "mean_rps": round(mean, 1),
                "spread": round(
                    abs(trivial_start["rps"] - trivial_end["rps"]) / mean, 4
                ),
                "loadavg_1min": [load_start, load_end],
                "paired_rps": paired,
                "servers": trivial_servers,
                "bare": {"start": bare_start, "end": bare_end},
            },
            "pages": pages,
            "rss_kib": rss,
            "timings": {k: round(v, 1) for k, v in timings.items()},
        }
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        pg.stop()

    results["wall_seconds"] = round(time.monotonic() - started, 1)
    out = VAR / ("results.json" if name == "full" else f"results-{name}.json")
    out.write_text(json.dumps(redacted(results), ensure_ascii=False, indent=2) + "\n")
    report = markdown(results)
    (VAR / f"report-{name}.md").write_text(report)
    if name == "full" and not args.no_doc and not args.pages:
        write_doc(results)
        log(f"wrote {DOC.relative_to(ROOT)} and {DOC_JSON.relative_to(ROOT)}")
    print("\n" + report)  # noqa: T201
    log(
        f"raw figures in {out.relative_to(ROOT)}; {results['wall_seconds'] / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
