"""One fixture name means one thing: no `@pytest.fixture` name is defined in more
than one file under tests/. A fixture several folders need lives once in a plugin
(`pytest_plugins` in tests/conftest.py); fixtures that build different things get
names that say what they build (`panel_booth`, `order_booth`, ...); and no module
imports a fixture from another (that registers it again in a second folder).
Found with `ast`, nothing imported, so a copy pasted into a new test file fails
here."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

#: Names deliberately defined in several files, each with the reason.
ALLOWED = {
    # Each folder whose tests send SMS turns on the shared
    # `sms_at_commit_run_at_once` (tests/accounts/sms_fixtures.py) for all its
    # tests with an empty autouse fixture in its conftest; a conftest cannot
    # `usefixtures` a folder any other way.
    "_sms_at_once",
    # test_sms_after_response.py overrides the plugin's fixture with a no-op:
    # there the wait for the commit is what the tests check.
    "sms_at_commit_run_at_once",
}

#: Fixtures a module may import from another (importing registers the same
#: fixture a second time, in another folder), each with the reason.
ALLOWED_IMPORTS = {
    # The bazaar tests place orders: they run with the orders tests' autouse
    # set-up (provinces loaded, SMS outbox emptied).
    "_provinces",
    "empty_sms_outbox",
}


def _is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in {"pytest.fixture", "fixture"}


def fixture_names(source: str) -> set[str]:
    """The names of the fixtures a module defines (`name=` wins over the
    function's name)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            if not _is_fixture(decorator):
                continue
            name = node.name
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "name" and isinstance(
                        keyword.value, ast.Constant
                    ):
                        name = keyword.value.value
            names.add(name)
    return names


def defined_in(sources: dict[str, str]) -> dict[str, list[str]]:
    """Fixture name -> the files (sorted) that define it."""
    files: dict[str, set[str]] = defaultdict(set)
    for path, source in sources.items():
        for name in fixture_names(source):
            files[name].add(path)
    return {name: sorted(paths) for name, paths in files.items()}


def _test_sources() -> dict[str, str]:
    return {
        str(path.relative_to(TESTS)): path.read_text(encoding="utf-8")
        for path in sorted(TESTS.rglob("*.py"))
    }


def test_no_fixture_name_is_defined_in_two_files():
    duplicated = {
        name: paths
        for name, paths in defined_in(_test_sources()).items()
        if len(paths) > 1 and name not in ALLOWED
    }
    assert duplicated == {}, (
        "Move a shared fixture into a plugin (tests/<app>/*_fixtures.py, "
        "registered in tests/conftest.py) or name each copy for what it builds"
    )


def imported_fixtures(sources: dict[str, str]) -> dict[str, list[str]]:
    """Fixture name -> the files that import it from another tests module
    (`from tests.x.y import name`), instead of taking it from a plugin."""
    by_module = {
        "tests." + path.removesuffix(".py").replace("/", "."): fixture_names(source)
        for path, source in sources.items()
    }
    found: dict[str, set[str]] = defaultdict(set)
    for path, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module in by_module:
                for alias in node.names:
                    if alias.name in by_module[node.module]:
                        found[alias.name].add(path)
    return {name: sorted(paths) for name, paths in found.items()}


def test_no_fixture_is_imported_from_another_module():
    imported = {
        name: paths
        for name, paths in imported_fixtures(_test_sources()).items()
        if name not in ALLOWED_IMPORTS
    }
    assert imported == {}, "Share a fixture through a plugin, never by importing it"


def test_every_allowed_name_is_still_defined_in_several_files():
    files = defined_in(_test_sources())
    stale = {name for name in ALLOWED if len(files.get(name, [])) < 2}
    assert stale == set()
    imported = imported_fixtures(_test_sources())
    assert ALLOWED_IMPORTS - imported.keys() == set()


def test_the_scan_finds_fixtures_in_every_spelling():
    sources = {
        "a/test_one.py": (
            "import pytest\n"
            "@pytest.fixture\n"
            "def booth(db): ...\n"
            "@pytest.fixture(autouse=True)\n"
            "def _on(): ...\n"
            "def helper(): ...\n"
        ),
        "b/test_two.py": (
            "from pytest import fixture\n"
            "@fixture(name='booth')\n"
            "def other_booth(): ...\n"
            "@fixture\n"
            "async def _on(): ...\n"
        ),
    }
    assert defined_in(sources) == {
        "booth": ["a/test_one.py", "b/test_two.py"],
        "_on": ["a/test_one.py", "b/test_two.py"],
    }


def test_the_scan_finds_a_fixture_imported_from_another_module():
    sources = {
        "orders/conftest.py": (
            "import pytest\n"
            "@pytest.fixture\n"
            "def booth(db): ...\n"
            "def make_booth(phone): ...\n"
        ),
        "bazaars/conftest.py": (
            "from tests.orders.conftest import booth, make_booth\n"
        ),
    }
    assert imported_fixtures(sources) == {"booth": ["bazaars/conftest.py"]}
