"""Our lexer against BuildKit's own parser (the ``dockerfile`` package), on the corpus and on
generated Dockerfiles: same instructions, same lines, same exec/shell decision, same
arguments, same heredocs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings

from initlint.sources.dockerfile_syntax import FORBIDDEN_TRIGGERS, KNOWN_INSTRUCTIONS
from tests.sources.buildkit_oracle import Outcome, buildkit, ours
from tests.sources.dockerfile_strategies import dockerfiles, fuzzed_dockerfiles

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "dockerfiles"
# The oracle embeds a BuildKit from before the ``# check=`` directive (BuildKit 0.14): it
# stops reading directives there and would ignore the escape directive that follows.
NEWER_THAN_THE_ORACLE = frozenset({"edge/directive-check-then-escape.Dockerfile"})
CORPUS_FILES = sorted(
    path
    for path in CORPUS.rglob("*")
    if path.is_file()
    and "bad" not in path.relative_to(CORPUS).parts
    and path.suffix != ".py"
    and path.name != ".gitattributes"
    and str(path.relative_to(CORPUS)) not in NEWER_THAN_THE_ORACLE
)


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS_FILES) >= 200


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_file_matches_buildkit(path: Path) -> None:
    text = _text(path)
    expected = buildkit(text)
    assert expected.error is None, f"corpus file BuildKit rejects: {expected.error}"
    assert ours(text) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_dockerfile_matches_buildkit(text: str) -> None:
    expected = buildkit(text)
    actual = ours(text)
    if expected.error is not None:
        assert actual.error is not None, f"BuildKit rejects ({expected.error}), we accept"
        return
    if actual.error is not None and _rejected_at_build(actual.error, expected):
        return
    assert actual == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed_dockerfiles())
def test_fuzzed_dockerfile_matches_buildkit(text: str) -> None:
    """Nonsense glued from Dockerfile tokens: both accept it the same way, or both refuse."""
    try:
        expected = buildkit(text)
    except UnicodeDecodeError:
        # Go splits some arguments byte by byte (a NBSP's second byte counts as space) and
        # hands back broken UTF-8: nothing a Python str can be compared with
        reject()
    actual = ours(text)
    if expected.error is not None:
        assert actual.error is not None, f"BuildKit rejects ({expected.error}), we accept"
        return
    if actual.error is not None and _rejected_at_build(actual.error, expected):
        return
    assert actual == expected


def _rejected_at_build(error: str, expected: Outcome) -> bool:
    """BuildKit's parser keeps what its build step rejects: unknown instructions and
    forbidden ONBUILD triggers. We reject them at once; that is agreement, not a mismatch."""
    unknown = {r.keyword for r in expected.records if r.keyword not in KNOWN_INSTRUCTIONS}
    if "unknown instruction: " in error:
        return error.rsplit("unknown instruction: ", 1)[1].upper() in unknown
    triggers = {r.trigger for r in expected.records if r.trigger in FORBIDDEN_TRIGGERS}
    return "allowed as an ONBUILD trigger" in error and bool(triggers)


def test_generated_corpus_is_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("generate_corpus", CORPUS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected: dict[str, bytes] = module.corpus()
    on_disk = {p.name: p.read_bytes() for p in (CORPUS / "generated").glob("*.Dockerfile")}
    assert on_disk == expected


def test_check_directive_does_not_end_the_directives() -> None:
    text = (CORPUS / "edge/directive-check-then-escape.Dockerfile").read_text()
    assert buildkit(text).error is None  # the oracle reads `b` as an instruction of its own
    [_, run, cmd] = ours(text).records
    assert (run.keyword, run.start_line, run.end_line, run.value) == (
        "RUN",
        5,
        6,
        ("echo a     b",),
    )
    assert cmd.start_line == 7
