"""The report of `make bench`: the Markdown table and notes written into
docs/BENCHMARKS.md (between its markers) and var/bench/report-<mode>.md, and the
raw figures in docs/benchmarks.json.

`markdown(results)` turns what bench/run.py measured into the page's table: one
line per page row (bench/pages.py) and server, each with its ratio to the
trivial view measured just before it on the yardstick server.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

from bench import SITE_TRIVIAL

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
DOC_JSON = ROOT / "docs" / "benchmarks.json"
GENERATED_START = "<!-- bench/run.py: generated from here -->"
GENERATED_END = "<!-- bench/run.py: generated up to here -->"


def fmt_ratio(run_: dict) -> str:
    percent = run_["ratio"] * 100
    return f"{percent:.{1 if percent < 10 else 0}f} % of {run_['trivial_rps']:.0f}"


CACHED_BAR = 0.80


def verdict(ratio: float, bar: float | None, queries: int) -> str:
    misses = []
    if bar is not None and ratio < bar:
        misses.append(f"ratio < {bar * 100:.0f} %")
    if queries > 12:
        misses.append("queries > 12")
    wanted = f"{bar * 100:.0f} % and ≤ 12 queries" if bar else "≤ 12 queries"
    return f"{wanted}: " + (
        "**misses** (" + ", ".join(misses) + ")" if misses else "meets"
    )


def row(label: str, path: str, run_: dict, ratio: str, queries: str, bar: str) -> str:
    path = unquote(path)
    return (
        f"| {label} | `{path}` | {run_['rps']:.1f} | {run_['p50_ms']:.1f}"
        f" | {run_['p99_ms']:.1f} | {run_['errors']} | {ratio} | {queries} | {bar} |"
    )


def markdown(results: dict) -> str:
    m, p, t = results["machine"], results["parameters"], results["trivial"]
    lines = [
        f"Run of {results['finished_at']} ({results['mode']} mode), "
        f"{results['wall_seconds'] / 60:.1f} minutes in all.",
        "",
        "| page | path | req/s | p50 ms | p99 ms | errors | ratio to the trivial view's req/s just before | queries | bar |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in results["pages"]:
        if page.get("missing"):
            lines.append(
                f"| {page['label']} | `{unquote(page['path'])}` | – | – | – | – | – | – | {page['missing']} |"
            )
            continue
        nocache = page.get("nocache_run")
        if nocache:
            lines.append(
                row(
                    f"{page['label']}, no cache", page["path"], nocache,
                    fmt_ratio(nocache), str(page["queries_nocache"]),
                    verdict(nocache["ratio"], page.get("bar"), page["queries_nocache"]),
                )
            )  # fmt: skip
        lines.append(
            row(
                f"{page['label']}, page cache off", page["path"], page, fmt_ratio(page),
                f"{page['queries']} ({page['queries_cold']} cold)",
                verdict(page["ratio"], page.get("bar"), page["queries"]),
            )
        )  # fmt: skip
    for page in results["pages"]:
        cached = page.get("cached_run")
        if cached:
            lines.append(
                row(
                    f"{page['label']}, page cache on", page["path"], cached,
                    fmt_ratio(cached), "0 (hit)",
                    verdict(cached["ratio"], CACHED_BAR if page.get("bar") else None, 0),
                )
            )  # fmt: skip
    for key in ("start", "end"):
        lines.append(row(f"trivial view ({key})", SITE_TRIVIAL, t[key], "", "0", ""))
    for key in ("start", "end"):
        lines.append(
            row(
                f"bare Django view ({key}), for reference",
                "/",
                t["bare"][key],
                "",
                "0",
                "",
            )
        )
    uncached = [
        p["label"]
        for p in results["pages"]
        if not p.get("missing") and not p["cookie"] and not p.get("cached_run")
    ]
    checks = results.get("page_cache_checks", [])
    lines += [
        "",
        "**Three servers**, the same code and settings but for the caches: *no cache*: "
        "nothing read from the catalogue is kept between requests (`CARD_CACHE_SECONDS`, "
        "`LISTING_CACHE_SECONDS` and `PAGE_CACHE_SECONDS` "
        "all 0; the category menu and the set of open booths are still cached); "
        "*page cache off*: production's product-card, listing and product caches "
        "(catalog.cards, catalog.listings), which every visitor gets, signed in or not; "
        "*page cache on*: production as it is, whole pages for visitors without session "
        "or basket. Every ratio, on all three, divides by the same yardstick: the "
        f"trivial view (`{SITE_TRIVIAL}`: the same middleware and context processors, "
        "one small template) served by the page-cache-off server, measured just "
        "before the page"
        + (
            " (on the three servers at the start: "
            + ", ".join(
                f"{name} {rps:.0f}" for name, rps in t.get("servers", {}).items()
            )
            + " req/s, one short run each: the page cache looks in Redis only for "
            "the pages it serves, so the view does the same work on all three and "
            "their difference is the noise)"
            if t.get("servers")
            else ""
        )
        + ".",
        "",
        "**Page cache**: the rows marked *page cache on* come from a third site server "
        f"with `PAGE_CACHE_SECONDS={results['parameters']['page_cache_seconds']}` "
        "(visitors without session or basket, every request after the first a hit); "
        "all other rows run with it off. "
        + (f"It does not serve: {', '.join(uncached)}. " if uncached else "")
        + f"Correctness checks, in-process: {sum(c['ok'] for c in checks)} of "
        f"{len(checks)} passed"
        + (
            " (" + "; ".join(c["check"] for c in checks if not c["ok"]) + " failed)."
            if not all(c["ok"] for c in checks)
            else " (a hit carries the visitor's own CSRF token and its add-to-basket form "
            "works; visitors who are logged in or have a basket never get a cached page)."
        ),
    ]
    site_rss = results["rss_kib"]["site"]
    trivial_rss = results["rss_kib"]["trivial"]
    lines += [
        "",
        f"**Noise**: the trivial view served {t['start']['rps']:.1f} req/s at the start and "
        f"{t['end']['rps']:.1f} at the end, a spread of {t['spread'] * 100:.1f} % of their "
        f"mean ({t['mean_rps']:.1f} req/s). Each page's ratio divides by a "
        f"{p['pair']} s run of the trivial view made just before that page "
        f"({len(t['paired_rps'])} runs, {min(t['paired_rps']):.0f} to "
        f"{max(t['paired_rps']):.0f} req/s), so load from outside the benchmark weighs "
        "on both sides of a ratio. Differences smaller than the spread are noise. "
        f"A bare Django view (bench/trivial/: no middleware, no context processor) served "
        f"{t['bare']['start']['rps']:.0f} and {t['bare']['end']['rps']:.0f} req/s: the "
        "difference is what Django's middleware (sessions, CSRF, messages, Oscar's "
        "basket) costs any page. "
        "The 1-minute load average was "
        f"{t['loadavg_1min'][0]:.1f} before the load and {t['loadavg_1min'][1]:.1f} after "
        "it (wrk, gunicorn and PostgreSQL share the 2 CPUs; anything else running on the "
        "machine shows up here).",
        "",
        f"**Memory**: peak RSS (VmHWM) of one site worker after the run: "
        f"{max(site_rss) / 1024:.0f} MiB (workers: "
        f"{', '.join(f'{x / 1024:.0f}' for x in site_rss)} MiB; no cache: "
        f"{', '.join(f'{x / 1024:.0f}' for x in results['rss_kib'].get('site_nocache', []))}"
        " MiB; with the page cache on: "
        f"{', '.join(f'{x / 1024:.0f}' for x in results['rss_kib'].get('site_cached', []))}"
        f" MiB); trivial-view worker: {max(trivial_rss) / 1024:.0f} MiB.",
        "",
        f"**Machine**: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"Linux {m['kernel']}; Python {m['python']}, Django {m['django']}, "
        f"gunicorn {m['gunicorn']}, PostgreSQL {m['postgresql']}, Redis {m['redis']}, "
        f"{m['wrk']}. The load generator runs on the same machine.",
        "",
        f"**Parameters**: {p['products']:,} seeded products ({p['public_products']:,} public); "
        f"gunicorn `{' '.join(p['gunicorn'])}` for the site and the trivial view alike; "
        f"wrk `-t{p['wrk_threads']} -c{p['wrk_connections']} -d{p['duration']}s` after a "
        f"{p['warmup']} s warm-up per page; production settings (DEBUG off), PostgreSQL, "
        "Redis cache. Queries are counted in-process (Django test client, "
        "`CaptureQueriesContext`, same database and settings) on one request after two "
        "warm-up requests, with the catalogue caches off (*no cache* rows) and on, and "
        "*cold* on the first request after the cache was emptied.",
        "",
        f"Seeding: {results['timings']['seed_seconds']:.0f} s "
        f"({'reused the existing database' if results['seed_reused'] else 'seed_demo ran'}).",
    ]
    return "\n".join(lines) + "\n"


DOC_HEADER = """# Benchmarks

`make bench` (bench/run.py) writes the part of this page between the markers and
`docs/benchmarks.json` (the raw figures); the rest is written by hand.

"""


def redacted(results: dict) -> dict:
    """The figures without the session and basket cookie values."""
    copy = json.loads(json.dumps(results))
    for page in copy["pages"]:
        if page.get("cookie"):
            page["cookie"] = "; ".join(
                f"{part.split('=', 1)[0]}=…" for part in page["cookie"].split("; ")
            )
    return copy


def write_doc(results: dict) -> None:
    generated = f"{GENERATED_START}\n\n{markdown(results)}\n{GENERATED_END}"
    text = (
        DOC.read_text()
        if DOC.exists()
        else DOC_HEADER + GENERATED_START + GENERATED_END
    )
    if GENERATED_START in text and GENERATED_END in text:
        head, rest = text.split(GENERATED_START, 1)
        tail = rest.split(GENERATED_END, 1)[1]
        text = head + generated + tail
    else:
        text = text.rstrip() + "\n\n" + generated + "\n"
    DOC.write_text(text)
    DOC_JSON.write_text(
        json.dumps(redacted(results), ensure_ascii=False, indent=2) + "\n"
    )
