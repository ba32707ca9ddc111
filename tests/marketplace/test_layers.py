"""Every project module is named by a layer of the import contract
(`[tool.importlinter]` in pyproject.toml), so `lint-imports` checks it: a new
module cannot escape the layers by being left out of the list."""

from __future__ import annotations

import ast
import pkgutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _importlinter() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]


def _layers() -> list[list[str]]:
    (contract,) = [c for c in _importlinter()["contracts"] if c["id"] == "layers"]
    return [[name.strip() for name in layer.split(":")] for layer in contract["layers"]]


def _project_modules() -> dict[str, tuple[Path, bool]]:
    """Every module and package of the root packages, found on disk by pkgutil
    (nothing imported): name -> (file, is a package)."""
    found: dict[str, tuple[Path, bool]] = {}

    def walk(directory: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(directory)]):
            name = f"{prefix}.{info.name}"
            if info.ispkg:
                found[name] = (directory / info.name / "__init__.py", True)
                walk(directory / info.name, name)
            else:
                found[name] = (directory / f"{info.name}.py", False)

    for root in _importlinter()["root_packages"]:
        found[root] = (ROOT / root / "__init__.py", True)
        walk(ROOT / root, root)
    return found


def _named_by(module: str, layers: list[list[str]]) -> list[int]:
    return [
        index
        for index, layer in enumerate(layers)
        for name in layer
        if module == name or module.startswith(name + ".")
    ]


def _project_imports(path: Path, package: str) -> set[str]:
    """The project modules a package's `__init__.py` imports."""
    roots = tuple(_importlinter()["root_packages"])
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            imported.add(target)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    return {name for name in imported if name.split(".")[0] in roots}


def test_the_walk_finds_the_project():
    modules = _project_modules()
    # A walk that found nothing would pass the test below vacuously.
    assert "orders.views.panel" in modules
    assert "marketplace.demo.seeding.plans" in modules
    assert "catalog.migrations" in modules
    assert len(modules) > 300


def test_every_module_is_named_by_exactly_one_layer():
    layers = _layers()
    shell = layers[0]
    missing, twice = [], []
    for module, (path, is_package) in sorted(_project_modules().items()):
        named = _named_by(module, layers)
        if len(named) > 1:
            twice.append(module)
        if named:
            continue
        if is_package:
            # A package left out is only a container: its __init__ may import
            # the project shell (marketplace/__init__.py loads the Celery app)
            # and nothing else, and each of its modules is named on its own.
            outside_shell = {
                name
                for name in _project_imports(path, module)
                if not _named_by(name, [shell])
            }
            if not outside_shell:
                continue
        missing.append(module)
    assert missing == [], f"modules in no layer of pyproject.toml: {missing}"
    assert twice == [], f"modules named by two layers: {twice}"


def test_a_new_module_outside_the_layers_is_caught(tmp_path):
    """The check is not vacuous: a module nobody listed is reported."""
    layers = _layers()
    assert _named_by("orders.refunds_by_hand", layers) == []
    assert _named_by("orders.views.panel", layers) == [1]
    assert _named_by("orders.services", layers) == [2]
    assert _named_by("marketplace.demo.orders", layers) == [0]
    assert _named_by("sellers.fields", layers) == [1]
    assert _named_by("sellers.provinces", layers) == [2]
