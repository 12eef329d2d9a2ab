"""Rule-page examples that need files from the build context.

A page gives them as fenced blocks whose info string names the file, placed before the
Dockerfile example they belong to::

    ```python file=app.py
    ...
    ```

    ```dockerfile bad
    ...
    ```

Every ``file=`` block since the previous Dockerfile example belongs to the next one (a path
may have folders: ``file=src/app.py``). ``lint_example`` writes them and the Dockerfile into
a folder and lints it with app evidence, as ``initlint`` does for a real build context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from initlint.model import Finding
from tests.evidence.lint import lint

FENCE = re.compile(r"^```(\S+)((?: +\S+)*)\s*$")


@dataclass(frozen=True)
class PageExample:
    page: str
    line: int
    verdict: str  # bad, good, before, after
    dockerfile: str
    files: tuple[tuple[str, str], ...]  # (relative path, text)

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}:{self.verdict}"


def page_examples(path: Path) -> list[PageExample]:
    lines = path.read_text(encoding="utf-8").splitlines()
    examples: list[PageExample] = []
    pending: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            i += 1
            continue
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        text = "\n".join(body) + "\n"
        attributes = fence.group(2).split()
        names = [a.removeprefix("file=") for a in attributes if a.startswith("file=")]
        if names:
            pending.append((names[0], text))
        elif fence.group(1) == "dockerfile" and attributes:
            examples.append(PageExample(path.name, start + 1, attributes[0], text, tuple(pending)))
            pending = []
        i += 1
    return examples


def write_example(example: PageExample, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in example.files:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if text.startswith("#!"):
            target.chmod(0o755)
    dockerfile = folder / "Dockerfile"
    dockerfile.write_text(example.dockerfile)
    return dockerfile


def lint_example(example: PageExample, folder: Path) -> list[Finding]:
    """The findings of the evidence rules for this example, with its files as the context."""
    return lint(write_example(example, folder))
