"""The bounded module reader shared by the Python and Node analyses."""

from __future__ import annotations

from pathlib import Path

from initlint.evidence.context import BuildContext, ModuleReader


def test_each_module_once_and_the_limit_noted_once(tmp_path: Path) -> None:
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(f"# {name}\n")
    unknown: list[str] = []
    reader = ModuleReader(BuildContext(tmp_path), limit=2, unknown=unknown)
    assert reader.read(tmp_path / "a.py", "/app/a.py") == "# a.py\n"
    assert reader.read(tmp_path / "a.py", "/app/a.py") is None  # already read
    assert reader.read(tmp_path / "b.py", "/app/b.py") == "# b.py\n"
    assert reader.read(tmp_path / "c.py", "/app/c.py") is None
    assert reader.read(tmp_path / "c.py", "/app/c.py") is None
    assert unknown == ["more than 2 local modules"]


def test_an_unreadable_module_is_noted(tmp_path: Path) -> None:
    unknown: list[str] = []
    reader = ModuleReader(BuildContext(tmp_path), limit=5, unknown=unknown)
    assert reader.read(tmp_path / "missing.py", "/app/missing.py") is None
    assert unknown == [f"{tmp_path / 'missing.py'} unreadable"]
