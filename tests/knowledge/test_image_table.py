"""The base-image table: facts read from the images' Dockerfiles, by tag, with provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from initlint.knowledge.image_table import image_rows, table_facts, variant
from initlint.knowledge.images import image_facts
from initlint.model import ShellFamily
from initlint.sources.dockerfile import load_dockerfile_text

TABLE = Path(__file__).resolve().parents[2] / "initlint" / "knowledge" / "base_images.jsonl"


def read_table() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The whole file: its first line, and the rows (one per line)."""
    first, *rows = TABLE.read_text(encoding="utf-8").splitlines()
    return json.loads(first), [json.loads(row) for row in rows]


def test_every_derived_row_names_its_repository_commit_and_dockerfile() -> None:
    data, rows = read_table()
    assert len(rows) > 300
    for row in rows:
        source = row["source"]
        assert "/" in source["repository"] and len(source["commit"]) == 40, row
        assert source["dockerfile"], row
    for row in data["curated"]:
        assert row["why"], row  # hand-written rows say why they hold


@pytest.mark.parametrize(
    ("reference", "shell"),
    [
        ("python:3.12", ShellFamily.DASH),
        ("python:3.12-alpine", ShellFamily.ASH),
        ("python:3.9-slim-buster", ShellFamily.DASH),  # a tag no longer built: the code name
        ("node:18-alpine", ShellFamily.ASH),
        ("postgres:16", ShellFamily.DASH),
        ("mysql:8", ShellFamily.BASH),  # Oracle Linux
        ("rockylinux:9", ShellFamily.BASH),
        ("registry.access.redhat.com/ubi9/ubi-minimal", ShellFamily.BASH),
        ("amazonlinux:2023", ShellFamily.BASH),
        ("gcr.io/distroless/static-debian12:nonroot", ShellFamily.NONE),
        ("gcr.io/distroless/base:debug", ShellFamily.ASH),
        ("cgr.dev/chainguard/nginx:latest", ShellFamily.NONE),
        ("cgr.dev/chainguard/python:latest-dev", ShellFamily.ASH),
        ("bitnami/redis:7.2", ShellFamily.DASH),
        ("ubuntu:22.04", ShellFamily.DASH),
        ("busybox", ShellFamily.ASH),
        ("mcr.microsoft.com/dotnet/aspnet:8.0-alpine", ShellFamily.ASH),
        ("mysql:5.7", ShellFamily.UNKNOWN),  # Debian until 5.7.39, Oracle Linux after
        ("example.com/team/app:1.0", ShellFamily.UNKNOWN),
    ],
)
def test_shell_by_image_and_tag(reference: str, shell: ShellFamily) -> None:
    assert table_facts(reference).shell is shell


def test_nginx_stop_signal_depends_on_the_version() -> None:
    assert table_facts("nginx:1.27").stop_signal == "SIGQUIT"
    assert table_facts("nginx:1.19.6-alpine").stop_signal == "SIGQUIT"
    assert table_facts("nginx:1.17").stop_signal == ""  # no STOPSIGNAL yet: SIGTERM
    assert table_facts("nginx:1.14-alpine").stop_signal == ""
    assert table_facts("nginx:1.19.4").stop_signal is None  # rebuilt with it or not: unknown
    assert image_facts("nginx:1.17").stop_signal is None
    assert image_facts("nginx:1.25").stop_signal == "SIGQUIT"


def test_inherited_entrypoint_cmd_and_init() -> None:
    postgres = table_facts("postgres:16-alpine")
    assert postgres.entrypoint == ("docker-entrypoint.sh",) and postgres.cmd == ("postgres",)
    assert postgres.stop_signal == "SIGINT"
    assert table_facts("python:3.12-slim").entrypoint == ()
    plex = table_facts("lscr.io/linuxserver/plex:latest")
    assert plex.init == "s6-overlay" and plex.entrypoint == ("/init",)


def test_windows_images() -> None:
    assert table_facts("mcr.microsoft.com/windows/servercore:ltsc2022").is_windows
    assert table_facts("python:3.12-windowsservercore-ltsc2022").is_windows
    assert not table_facts("python:3.12").is_windows


def test_variant_drops_versions_only() -> None:
    assert variant("1.19.4-alpine3.20-perl") == "alpine-perl"
    assert variant("3.12-slim-bookworm") == "slim-bookworm"
    assert variant("latest") == ""


def test_from_an_arg_without_default_is_an_unknown_base_not_an_error() -> None:
    # cert-manager's Containerfiles: BuildKit takes the base from --build-arg
    spec = load_dockerfile_text(
        'ARG BASE_IMAGE\nFROM $BASE_IMAGE\nUSER 1000\nENTRYPOINT ["/app"]\n', "Containerfile"
    )
    assert spec.base_image is not None and "$" in spec.base_image
    assert image_facts(spec.base_image).shell is ShellFamily.UNKNOWN


def test_multi_stage_arg_default_resolves_the_base() -> None:
    spec = load_dockerfile_text(
        'ARG PY=3.12\nFROM python:${PY}-alpine AS base\nFROM base\nCMD ["python3"]\n',
        "Dockerfile",
    )
    assert spec.base_image == "python:3.12-alpine"


def test_a_lookup_reads_exactly_its_images_rows() -> None:
    """The lookup parses only the lines of the image asked about: it finds them all, and only
    them, for every image (the file keeps an image's rows together, each line led by it)."""
    _, rows = read_table()
    by_image: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_image.setdefault(row["image"], []).append(row)
    assert len(by_image) > 20
    for image, expected in by_image.items():
        assert image_rows(image) == expected, image
    assert image_rows("no-such-image") == []
    assert image_rows("python:3.12") == []  # a reference is not an image name
