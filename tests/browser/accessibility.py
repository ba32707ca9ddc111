"""axe-core on every page a browser test visits.

axe-core (npm package `axe-core`, MPL-2.0) is vendored in `vendor/axe.min.js`,
never fetched from a CDN (to upgrade: `npm pack axe-core`, copy its
`axe.min.js` there, and change the version in the README).

How: every browser context the tests open (`phone_page`, and `browser.new_context()`
in a test: the `browser` fixture hands out `AuditedBrowser`) gets axe as an init
script. In each top-level document, on `load`, axe runs the WCAG 2.1 A/AA and
best-practice rules and reports through an exposed binding. A page that navigates
away before axe finishes (a form sent at once) is opened again by its URL before
its context closes, and audited then. When a test ends, any serious or critical
violation on any page it visited fails it, with the rule, the elements and the
URL.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
FAILING_IMPACTS = {"serious", "critical"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_RUNNER = r"""
(() => {
  if (window.top !== window || !window.axe || !/^https?:$/.test(location.protocol)) return;
  // Oscar's dashboard and the Wagtail and Django admins are third-party staff
  // tools that no journey of ours builds; they are audited separately (issue 11
  // made the dashboard fit a phone), not held to the journeys' bar.
  if (/^\/(dashboard|cms-admin|django-admin)\//.test(location.pathname)) return;
  const run = () => {
    const url = location.href;
    window.__axeStarted(url);
    window.axe.run(document, {
      runOnly: {type: "tag", values: __TAGS__},
      resultTypes: ["violations"],
    }).then((results) => {
      const violations = results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      }));
      window.__axeDone(url, JSON.stringify(violations));
    });
  };
  if (document.readyState === "complete") run();
  else window.addEventListener("load", run, {once: true});
})();
""".replace("__TAGS__", json.dumps(TAGS))


class AxeAudit:
    """The pages audited in one test, and what axe found on them."""

    def __init__(self) -> None:
        self.audited: dict[str, list[dict[str, Any]]] = {}
        self.pending: dict[Any, set[str]] = {}
        self._lock = threading.Lock()

    def attach(self, context) -> None:
        context.add_init_script(script=AXE_SOURCE + "\n" + _RUNNER)
        self.pending[context] = set()

        def started(source, url: str) -> None:
            with self._lock:
                self.pending[context].add(url)

        def done(source, url: str, violations: str) -> None:
            with self._lock:
                self.pending[context].discard(url)
                self.audited[url] = json.loads(violations)

        context.expose_binding("__axeStarted", started)
        context.expose_binding("__axeDone", done)

    def finish(self, context) -> None:
        """Audit, by opening them again, the pages of `context` that navigated
        away before axe was done. Call before the context closes."""
        missed = [
            url
            for url in sorted(self.pending.pop(context, set()))
            if url not in self.audited
        ]
        if not missed:
            return
        page = context.new_page()
        try:
            for url in missed:
                page.goto(url)
                # The init script audits the page on load; wait for its report.
                for _ in range(100):
                    if url in self.audited or page.url != url:
                        break
                    page.wait_for_timeout(100)
        finally:
            page.close()

    def failures(self) -> list[str]:
        lines = []
        for url, violations in sorted(self.audited.items()):
            for violation in violations:
                if violation["impact"] in FAILING_IMPACTS:
                    lines.append(
                        f"{url}: [{violation['impact']}] {violation['id']}: "
                        f"{violation['help']} -> {', '.join(violation['targets'])}"
                    )
        return lines


class AuditedContext:
    """A browser context whose pages axe audits; `close()` audits what it missed."""

    def __init__(self, context, audit: AxeAudit) -> None:
        self._context = context
        self._audit = audit

    def __getattr__(self, name: str):
        return getattr(self._context, name)

    def close(self, *args, **kwargs) -> None:
        self._audit.finish(self._context)
        self._context.close(*args, **kwargs)


class AuditedBrowser:
    """The session's Chromium, handing out contexts that `AxeAudit` watches."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.audit: AxeAudit | None = None

    def __getattr__(self, name: str):
        return getattr(self._browser, name)

    def new_context(self, *args, **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        if self.audit is None:
            return context
        self.audit.attach(context)
        return AuditedContext(context, self.audit)
