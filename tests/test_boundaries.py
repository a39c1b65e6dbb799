"""A layout reaches into no private name (``_name``) of another layout or of the shared widgets (``ui``):
what one layout shares with another (the praatplaat's score form with the compass, its answer lines with
the risks) is public there. Checked from the source (ast); Streamlit's internals have their own check
(tests/test_serve.py)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("layouts", "ui")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _package(module: str) -> str:
    """A layout's package (``layouts.scores``), else the module itself."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "layouts" else module


def _reaches(path: Path) -> list[str]:
    module = _package(".".join(path.relative_to(ROOT).with_suffix("").parts))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}  # local name -> one of our modules
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PACKAGES:
                    aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in PACKAGES:
            for a in node.names:
                if _private(a.name) and _package(node.module) != module:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {a.name}")
                elif _is_module(f"{node.module}.{a.name}"):
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                and _private(node.attr) and _package(aliases[node.value.id]) != module:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_layout_uses_another_layouts_private_names():
    files = list((ROOT / "layouts").rglob("*.py"))
    assert len(files) > 40
    found = [line for path in files for line in _reaches(path)]
    assert not found, "private names used from another module (make them public there):\n" + "\n".join(found)
