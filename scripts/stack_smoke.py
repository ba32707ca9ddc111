"""`make stack-smoke`: the production stack (scripts/stack) put through its
paces over HTTPS through nginx, then stopped, whatever happened.

What it checks (each step prints a line; the first failure stops the run):
- nginx answers on HTTPS with the self-signed certificate; HTTP redirects;
- /readyz is 200 with the database, Redis, the broker (and Elasticsearch);
- the storefront pages answer 200, and nginx sent the requests to both app
  servers (its access log names the upstream of each request);
- a session and its CSRF token survive the switch between app servers: a
  log-in form posted with a wrong password gets the form's own error back,
  not a 403, whichever server took it;
- a product is put in the basket, and the basket page shows it;
- static files carry a year's cache and leave gzipped;
- /metrics and Wagtail's documents under /media/ are refused at the edge;
- log-in attempts beyond the edge's burst get 429;
- a Celery task sent to the broker runs on the worker; beat is running.

Not yet (docs/OPERATIONS.md): placing an order with a photo upload, media on
object storage, PgBouncer and the replica.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def step(text: str) -> None:
    print(f"stack-smoke: {text}", flush=True)  # noqa: T201


def fail(text: str) -> None:
    raise SystemExit(f"stack-smoke: FAILED: {text}")


def stack(*args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "stack"), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        fail(f"scripts/stack {' '.join(args)}: {result.stderr[-2000:]}")
    return result.stdout


def stack_env() -> dict[str, str]:
    env = {}
    for line in stack("env").splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return env


def client(certificate: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = certificate
    return session


def check(condition: bool, text: str) -> None:
    if not condition:
        fail(text)
    step(f"ok: {text}")


def upstreams(log: Path, since: int) -> list[str]:
    lines = log.read_text().splitlines()[since:]
    return re.findall(r'"upstream":"(127\.0\.0\.1:\d+)"', "\n".join(lines))


def run() -> None:
    started = time.monotonic()
    step("starting the stack")
    stack("start")
    env = stack_env()
    base = env["STACK_URL"]
    access_log = Path(env["STACK_DIR"]) / "logs" / "nginx-access.log"

    step("seeding a small demo (seed_demo)")
    subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "stack"), "manage", "seed_demo", "--sellers", "4",
         "--products", "20", "--site-address", base.removeprefix("https://")],
        check=True,
        capture_output=True,
    )  # fmt: skip

    # The certificate scripts/stack made (subjectAltName 127.0.0.1), verified.
    # Nothing from the environment (a CA bundle or a proxy) applies to loopback.
    certificate = str(Path(env["STACK_DIR"]) / "tls.crt")
    http = client(certificate)
    redirect = client(certificate).get(
        env["STACK_HTTP_URL"] + "/healthz", allow_redirects=False, timeout=10
    )
    check(
        redirect.status_code == 301
        and redirect.headers["Location"].startswith("https://"),
        "HTTP redirects to HTTPS",
    )
    ready = http.get(base + "/readyz")
    check(ready.status_code == 200, f"/readyz 200 {ready.json()['checks']}")

    mark = len(access_log.read_text().splitlines())
    for path in ("/", "/catalogue/", "/search/?q=%D8%B4%D8%A7%D9%84", "/site-map/"):
        response = http.get(base + path)
        check(response.status_code == 200, f"GET {path} 200")
    used = set(upstreams(access_log, mark))
    check(len(used) == 2, f"requests went to both app servers {sorted(used)}")

    login = http.get(base + "/account/login/")
    token = http.cookies.get("csrftoken")
    check(login.status_code == 200 and bool(token), "log-in page sets a CSRF cookie")
    for _ in range(2):  # one of the two posts lands on the other server
        posted = http.post(
            base + "/account/login/",
            data={
                "csrfmiddlewaretoken": token,
                "phone": "09120000000",
                "password": "wrong-password-1",
            },
            headers={"Referer": base + "/account/login/"},
        )
        check(
            posted.status_code == 200,
            "a log-in post is answered by the form, not a 403",
        )

    product = re.search(
        r'href="(/catalogue/[^"/]+_\d+/)"', http.get(base + "/catalogue/").text
    )
    check(product is not None, "the catalogue lists a product")
    page = http.get(base + product.group(1))
    pk = re.search(r'action="/basket/add/(\d+)/"', page.text)
    check(
        page.status_code == 200 and pk is not None, "a product page with its add button"
    )
    added = http.post(
        base + f"/basket/add/{pk.group(1)}/",
        data={"csrfmiddlewaretoken": http.cookies.get("csrftoken"), "quantity": "1"},
        headers={"Referer": base + product.group(1)},
    )
    check(added.status_code == 200, "add to basket (after its redirect)")
    basket = http.get(base + "/basket/")
    check('data-testid="basket-line"' in basket.text, "the basket shows the product")

    css = re.search(r'href="(/static/[^"]+\.css)"', http.get(base + "/").text)
    check(css is not None, "a page links its stylesheet")
    static = http.get(base + css.group(1), headers={"Accept-Encoding": "gzip"})
    check(
        "max-age=31536000" in static.headers.get("Cache-Control", "")
        and static.headers.get("Content-Encoding") == "gzip",
        "static files: a year's cache, gzipped",
    )
    check(
        http.get(base + "/metrics").status_code == 404, "/metrics refused at the edge"
    )
    check(
        http.get(base + "/media/documents/anything.pdf").status_code == 404,
        "private media (documents) refused",
    )

    codes = [
        client(certificate).get(base + "/account/login/", timeout=10).status_code
        for _ in range(20)
    ]
    check(
        429 in codes,
        f"log-in beyond the edge's burst gets 429 ({codes.count(429)} of 20)",
    )

    step("sending a task to the worker")
    subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "stack"), "manage", "shell", "-c",
         "from marketplace.accounts.tasks import accounts_purge_task; "
         "print(accounts_purge_task.delay().id)"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    worker_log = Path(env["STACK_DIR"]) / "logs" / "worker.log"
    deadline = time.monotonic() + 60
    while (
        "accounts_purge_task" not in worker_log.read_text()
        or "succeeded" not in worker_log.read_text()
    ):
        if time.monotonic() > deadline:
            fail("the worker did not run the task within 60 s")
        time.sleep(1)
    step("ok: the worker ran the task")
    check(
        "beat: Starting" in (Path(env["STACK_DIR"]) / "logs" / "beat.log").read_text(),
        "beat is running",
    )
    step(f"passed in {time.monotonic() - started:.0f} s")


def main() -> int:
    try:
        run()
    finally:
        step("stopping the stack")
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], check=False)  # noqa: S603
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
