"""`make smoke`: serve the site as `make run` does and fetch the pages a new user sees.

Run by `make smoke` after `make sandbox` (migrate + seed_demo into var/), with
`make run`'s settings. Starts `manage.py runserver` on a free port in the
background, follows the links a visitor would follow (home → a category from the
header menu → a product from its cards → its booth), fetches the login page, and
checks that each answers 200 and that a wrong URL gets our Persian 404. Stops the
server on every way out. Exit 0 when every page passed, 1 otherwise.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60
HREF = re.compile(r'href="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "fa"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"smoke: the server exited with {server.returncode}")
        try:
            fetch(base + "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"smoke: the server did not answer within {START_TIMEOUT} s")


def first_link(html: str, pattern: str) -> str | None:
    """The first href in `html` whose decoded path matches `pattern`."""
    for href in HREF.findall(html):
        href = unescape(href)
        if re.search(pattern, unquote(href)):
            return href
    return None


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    failures: list[str] = []
    try:
        wait_until_up(base, server)

        def check(name: str, path: str | None, expected: int = 200) -> str:
            if path is None:
                failures.append(f"{name}: no link to it was found")
                print(f"FAIL {name}: no link found")  # noqa: T201
                return ""
            started = time.monotonic()
            status, body = fetch(urljoin(base + "/", path))
            took = (time.monotonic() - started) * 1000
            ok = status == expected
            print(  # noqa: T201
                f"{'ok  ' if ok else 'FAIL'} {status} {name:<9} {unquote(path)} "
                f"({len(body.encode()):,} bytes, {took:.0f} ms)"
            )
            if not ok:
                failures.append(f"{name} {unquote(path)}: {status}, not {expected}")
            return body

        home = check("home", "/")
        category = check("category", first_link(home, r"^/catalogue/category/[^?#]+/$"))
        product = check(
            "product", first_link(category, r"^/catalogue/(?!category/)[^/?#]+_\d+/$")
        )
        check("booth", first_link(product, r"^/booth/[^/?#]+/$"))
        check("login", "/account/login/")
        not_found = check("wrong URL", "/no-such-page-smoke/", expected=404)
        if not_found and "پیدا نشد" not in not_found:
            failures.append("wrong URL: not our Persian 404 page")
            print("FAIL wrong URL: not our Persian 404 page")  # noqa: T201
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    if failures:
        print("\nmake smoke: FAILED\n  - " + "\n  - ".join(failures))  # noqa: T201
        print("\nserver log (stderr):\n" + errors[-4000:])  # noqa: T201
        return 1
    print("make smoke: every page answered as expected")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
