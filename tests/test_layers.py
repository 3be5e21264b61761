"""Data flows one way: seeds -> index -> qa -> ui/evals. Checked on the source, so a new import against
the flow (or an eval reaching into qa's internals) fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# what each package may import of the project's packages
ALLOWED = {"index": set(), "qa": {"index"}, "ui": {"qa", "index"}, "evals": {"qa", "index"}}


def imports(package: str, root: Path = ROOT) -> list[tuple[str, str]]:
    """Returns (file, imported module) for every project import in the package's modules."""
    out = []
    for path in sorted((root / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            out.extend((path.name, n) for n in names if n.split(".")[0] in ALLOWED)
    return out


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_lies_upstream(package: str) -> None:
    against = [(f, m) for f, m in imports(package) if m.split(".")[0] not in ALLOWED[package] | {package}]
    assert against == []


def test_evals_and_ui_use_only_the_public_qa_api() -> None:
    private = [(p, f, m) for p in ("evals", "ui") for f, m in imports(p) if m.startswith("qa.")]
    assert private == []


def test_the_checker_sees_imports_against_the_flow(tmp_path: Path) -> None:
    (tmp_path / "qa").mkdir()
    (tmp_path / "qa" / "bad.py").write_text("from evals.run import main\nimport ui.app\nfrom . import types\n", encoding="utf-8")
    assert imports("qa", tmp_path) == [("bad.py", "evals.run"), ("bad.py", "ui.app")]
