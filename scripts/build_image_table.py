"""Build initlint/knowledge/base_images.jsonl from the images' own Dockerfiles.

    .venv/bin/python scripts/build_image_table.py [--mirrors /work/.mirror] [--out PATH]

Inputs are git snapshots of public repositories (one bare repository per folder, named
``owner+name/repo``, as the team's fetch tool leaves them; nothing of them is committed):

- ``docker-library/official-images``: its ``library/<image>`` files map every official tag to
  the repository, commit and folder of the Dockerfile that builds it;
- the repositories those files name: each tag's Dockerfile is read at the named commit (or
  at the snapshot's newest commit when the snapshot lacks it; the row then records that
  commit) and its final stage gives ENTRYPOINT, CMD, STOPSIGNAL, USER and the parent image;
- their history: for STOPSIGNAL, the version since which the current value holds
  (nginx set SIGQUIT in 1.11.13, went back to SIGTERM a month later, and has SIGQUIT again
  since 1.19.5);
- vendor repositories (linuxserver's base images) read the same way.

What no Dockerfile states (which shell a root filesystem tarball has as ``/bin/sh``, the
images built with Bazel or apko) is in ``CURATED`` below, each row marked ``curated`` with
the reason. Each derived image gets its shell from its parent, recursively, down to a
curated root. Re-run after fetching newer snapshots; the output is sorted and stable.

The output is JSON Lines (``write_table``): the first line holds everything but the rows, then
one row per line, sorted by image and first tag, so initlint parses only the lines of the
image a lookup asks about.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from initlint.knowledge.image_table import VERSION_TAG, variant, version_key  # noqa: E402
from initlint.knowledge.images import split_image_name  # noqa: E402
from initlint.sources.dockerfile_syntax import Instruction, parse_dockerfile  # noqa: E402

OUT = REPO_ROOT / "initlint" / "knowledge" / "base_images.jsonl"
# Repositories that moved: the name official-images uses -> the snapshot's folder name.
MOVED = {"nginx/docker-nginx": "nginxinc/docker-nginx"}
INITS = {"tini": "tini", "tini-static": "tini", "dumb-init": "dumb-init",
         "docker-init": "tini", "catatonit": "catatonit"}  # fmt: skip


def _root(match: str, shell: str, why: str) -> dict[str, object]:
    return {"match": match, "entrypoint": [], "shell": shell, "why": why}


# Root filesystems: their Dockerfile is ``FROM scratch`` + ``ADD rootfs.tar`` (+ a CMD, no
# ENTRYPOINT), so /bin/sh comes from the distribution's own policy, not from a Dockerfile line.
CURATED: list[dict[str, object]] = [
    {"match": "scratch", "shell": "none", "entrypoint": [], "cmd": [],
     "why": "the empty image: no files at all"},
    # Rows marked "override" win over the derived rows (a variant that changed over time).
    {"match": "mysql", "tag": "5*", "shell": "unknown", "override": True,
     "why": "mysql 5.7 tags were Debian (dash) until 5.7.39 and Oracle Linux (bash) after"},
    {"match": "redhat/ubi*", "shell": "bash", "why": "Red Hat UBI on Docker Hub: bash"},
    _root("debian", "dash", "Debian policy: /bin/sh is dash (rootfs tarball from debuerreotype)"),
    _root("ubuntu", "dash", "Ubuntu: /bin/sh is dash (rootfs tarball)"),
    _root("alpine", "busybox", "Alpine: /bin/sh is busybox ash"),
    _root("busybox", "busybox", "busybox: /bin/sh is busybox ash"),
    _root("fedora", "bash", "Red Hat family: /bin/sh is bash"),
    _root("centos", "bash", "Red Hat family: /bin/sh is bash"),
    _root("rockylinux", "bash", "Red Hat family: /bin/sh is bash"),
    _root("rockylinux/rockylinux", "bash", "Red Hat family: /bin/sh is bash"),
    _root("almalinux", "bash", "Red Hat family: /bin/sh is bash"),
    _root("oraclelinux", "bash", "Red Hat family: /bin/sh is bash"),
    _root("amazonlinux", "bash", "Amazon Linux (Fedora-derived): bash"),
    _root("archlinux", "bash", "Arch: /bin/sh is bash"),
    _root("opensuse/*", "bash", "openSUSE: /bin/sh is bash"),
    _root("photon", "bash", "VMware Photon: /bin/sh is bash"),
    # Red Hat publishes no Dockerfile for UBI; its images are built with osbuild/kickstart.
    {"match": "ubi*", "shell": "bash",
     "why": "Red Hat UBI: /bin/sh is bash (no public Dockerfile)"},
    {"match": "ubi*-minimal", "shell": "bash", "why": "UBI minimal: bash, microdnf"},
    {"match": "ubi*/ubi*", "shell": "bash", "why": "Red Hat UBI: /bin/sh is bash"},
    {"match": "ubi*/ubi*-minimal", "shell": "bash", "why": "UBI minimal: bash, microdnf"},
    {"match": "ubi*/ubi*-micro", "shell": "unknown",
     "why": "UBI micro: a trimmed filesystem; whether it has /bin/sh is not published"},
    # Bazel-built (GoogleContainerTools/distroless): no shell; the :debug tags add busybox.
    {"match": "distroless/*", "shell": "none",
     "why": "distroless images ship no shell (built with Bazel, no Dockerfile)"},
    {"match": "distroless/*", "tag": "*debug*", "shell": "busybox",
     "why": "distroless :debug tags add busybox at /busybox/sh"},
    # apko-built (chainguard-images/images): no shell except the -dev tags and wolfi-base.
    {"match": "chainguard/*", "shell": "none", "user": "65532",
     "why": "Chainguard images are distroless (apko, no Dockerfile); they run as nonroot"},
    {"match": "chainguard/*", "tag": "*-dev", "shell": "busybox",
     "why": "Chainguard -dev tags add busybox and apk"},
    {"match": "chainguard/wolfi-base", "shell": "busybox", "why": "wolfi-base has busybox"},
    {"match": "wolfi-base", "shell": "busybox", "why": "wolfi-base has busybox"},
    # Bitnami builds every image on its minideb (Debian) base.
    {"match": "bitnami/*", "shell": "dash",
     "why": "Bitnami images build on bitnami/minideb (Debian: dash)"},
    {"match": "bitnami/minideb", "shell": "dash", "why": "minideb is Debian: dash"},
    # linuxserver.io: the root filesystem is assembled in a build stage, then COPY'd
    {"match": "linuxserver/baseimage-alpine*", "shell": "busybox", "entrypoint": ["/init"],
     "init": "s6-overlay",
     "why": "Alpine root filesystem, s6-overlay's /init (linuxserver/docker-baseimage-alpine)"},
    {"match": "linuxserver/baseimage-ubuntu", "shell": "dash", "entrypoint": ["/init"],
     "init": "s6-overlay",
     "why": "Ubuntu root filesystem, s6-overlay's /init (linuxserver/docker-baseimage-ubuntu)"},
    {"match": "linuxserver/*", "shell": "unknown", "entrypoint": ["/init"],
     "init": "s6-overlay",
     "why": "every linuxserver.io image builds on a baseimage whose ENTRYPOINT is s6-overlay's "
            "/init (Alpine or Ubuntu, depending on the image)"},
    {"match": "windows/*", "shell": "none", "os": "windows",
     "why": "Windows base images: no /bin/sh, no POSIX signals"},
    {"match": "windows", "shell": "none", "os": "windows", "why": "Windows base image"},
    {"match": "dotnet/*", "tag": "*nanoserver*", "shell": "none", "os": "windows",
     "why": ".NET Windows Nano Server tags"},
    {"match": "dotnet/*", "tag": "*windowsservercore*", "shell": "none", "os": "windows",
     "why": ".NET Windows Server Core tags"},
    {"match": "dotnet/*", "tag": "*alpine*", "shell": "busybox", "why": ".NET Alpine tags"},
    {"match": "dotnet/*", "tag": "*azurelinux*", "shell": "bash", "why": "Azure Linux: bash"},
    {"match": "dotnet/*", "tag": "*cbl-mariner*", "shell": "bash", "why": "CBL-Mariner: bash"},
    {"match": "dotnet/*", "tag": "*chiseled*", "shell": "none",
     "why": "Ubuntu chiseled .NET images ship no shell"},
    {"match": "dotnet/*", "shell": "dash",
     "why": ".NET images default to Debian (dotnet/dotnet-docker)"},
]  # fmt: skip
# Distribution code names in tags: the variant's /bin/sh when no row has that tag.
CODENAMES = {
    "dash": ["jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky",
             "xenial", "bionic", "focal", "jammy", "noble", "oracular", "plucky"],
    "busybox": ["alpine"],
    "none": ["nanoserver", "windowsservercore", "ltsc2019", "ltsc2022", "ltsc2025"],
}  # fmt: skip


@dataclass
class Entry:
    image: str
    tags: list[str]
    repository: str  # owner/name on GitHub
    commit: str
    directory: str
    file: str
    windows: bool
    version: str | None = None


@dataclass
class Row:
    image: str
    tags: list[str]
    source: dict[str, str]
    parent: str | None
    os: str = "linux"
    shell: str = "unknown"
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    stop_signal: str | None = None
    user: str | None = None
    init: str | None = None
    version: str | None = None
    shell_from: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def git(gitdir: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(gitdir), *args], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def mirror_of(mirrors: Path, repository: str) -> Path | None:
    repository = MOVED.get(repository, repository)
    path = mirrors / repository.replace("/", "+") / "repo"
    return path if path.is_dir() else None


def library_entries(library: Path) -> Iterator[Entry]:
    for path in sorted(library.iterdir()):
        text = path.read_text(encoding="utf-8", errors="replace")
        repo_match = re.search(r"^GitRepo:\s*https://github.com/(\S+?)(\.git)?/?$", text, re.M)
        if not repo_match:
            continue
        default_repo = repo_match.group(1)
        for block in re.split(r"\n\s*\n", text):
            fields: dict[str, str] = {}
            for line in block.splitlines():
                key, _, value = line.partition(":")
                if value and not key.startswith((" ", "\t")):
                    fields[key.strip()] = value.strip()
            if "Tags" not in fields or "GitCommit" not in fields:
                continue
            windows = "windowsservercore" in fields.get("Constraints", "") or "nanoserver" in (
                fields.get("Constraints", "")
            )
            tags = [t.strip() for t in fields["Tags"].split(",") if t.strip()]
            if not windows:
                tags += [t.strip() for t in fields.get("SharedTags", "").split(",") if t.strip()]
            repository = default_repo
            if "GitRepo" in fields:
                inner = re.match(r"https://github.com/(\S+?)(\.git)?/?$", fields["GitRepo"])
                if inner:
                    repository = inner.group(1)
            version = next((t for t in tags if VERSION_TAG.match(t)), None)
            yield Entry(
                path.name, tags, repository, fields["GitCommit"],
                fields.get("Directory", "."), fields.get("File", "Dockerfile"), windows, version,
            )  # fmt: skip


def exec_words(instruction: Instruction) -> list[str]:
    if instruction.json_words is not None:
        return [word.value for word in instruction.json_words]
    return ["/bin/sh", "-c", instruction.args]


@dataclass
class Final:
    parent: str | None
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    stop_signal: str | None = None
    user: str | None = None
    s6: bool = False
    rootfs: bool = False  # FROM scratch + ADD of a root filesystem tarball


def final_stage(text: str, path: str) -> Final | None:
    try:
        syntax = parse_dockerfile(text, path)
    except Exception:  # a template or a broken file: no row
        return None
    args: dict[str, str] = {}
    stages: dict[str, Final] = {}
    current: Final | None = None
    for instruction in syntax.instructions:
        keyword = instruction.keyword
        if keyword == "ARG" and current is None:
            name, _, value = instruction.args.partition("=")
            args[name.strip()] = value.strip().strip('"')
        elif keyword == "FROM":
            words = instruction.args.split()
            flags = [w for w in words if w.startswith("--")]
            words = [w for w in words if not w.startswith("--")]
            if not words:
                return None
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), words[0])
            inherited = stages.get(image.lower())
            current = (
                Final(inherited.parent, inherited.entrypoint, inherited.cmd,
                      inherited.stop_signal, inherited.user, inherited.s6)
                if inherited else Final(image)
            )  # fmt: skip
            del flags
            if len(words) >= 3 and words[1].lower() == "as":
                stages[words[2].lower()] = current
        elif current is None:
            continue
        elif keyword == "ENTRYPOINT":
            current.entrypoint = exec_words(instruction)
            current.cmd = None if current.cmd is None else []
        elif keyword == "CMD":
            current.cmd = exec_words(instruction)
        elif keyword == "STOPSIGNAL":
            current.stop_signal = instruction.args.strip()
        elif keyword == "USER":
            current.user = instruction.args.strip()
        elif keyword in ("ADD", "COPY") and current.parent == "scratch":
            words = [w for w in instruction.args.split() if not w.startswith("--")]
            source = next((f.value for f in instruction.flags if f.value.startswith("from=")), None)
            if words and words[-1] == "/" and source:
                stage = stages.get(source[5:].lower())
                if stage is not None:
                    current.parent = stage.parent  # the root filesystem built in that stage
            elif words and words[-1] == "/" and ".tar" in words[0]:
                current.rootfs = True
        elif "s6-overlay" in instruction.args:
            current.s6 = True
    return current


def init_of(final: Final) -> str | None:
    entrypoint = final.entrypoint or []
    if not entrypoint:
        return None
    head = os.path.basename(entrypoint[0])
    if head in INITS:
        return INITS[head]
    if entrypoint[0] == "/init" and final.s6:
        return "s6-overlay"
    return None


def normalize(reference: str) -> tuple[str, str]:
    name = split_image_name(reference)
    return name.repository, name.tag


def stop_signal_history(gitdir: Path, image: str) -> list[tuple[tuple[int, ...], str]]:
    """(version, STOPSIGNAL or SIGTERM) for every Dockerfile state where STOPSIGNAL changed."""
    seen: list[tuple[tuple[int, ...], str]] = []
    env = re.compile(rf"^ENV\s+{re.escape(image.upper())}_VERSION[\s=]+(\S+)", re.M)
    commits = git(gitdir, "log", "--format=%H", "-G", "STOPSIGNAL", "--", "*Dockerfile*").split()
    for commit in commits[:200]:
        names = git(gitdir, "show", "--format=", "--name-only", commit).split()
        for name in names:
            if "Dockerfile" not in name or name.endswith(".template"):
                continue
            texts = [git(gitdir, "show", f"{rev}:{name}") for rev in (commit, f"{commit}^")]
            if not any(re.search(r"^STOPSIGNAL", t, re.M) for t in texts):
                continue
            for text in texts:
                found = env.search(text)
                key = version_key(found.group(1)) if found else None
                if not key:
                    continue
                signal = re.search(r"^STOPSIGNAL\s+(\S+)", text, re.M)
                seen.append((key, signal.group(1) if signal else "SIGTERM"))
    return seen


def since(history: list[tuple[tuple[int, ...], str]], current: str) -> tuple[str, list[str]] | None:
    """The highest version seen with another value (every later version has ``current``),
    and the versions seen with both (a Dockerfile changed without a version bump: whether
    the published image has the change depends on when it was last rebuilt)."""
    other = [v for v, s in history if s != current]
    same = {v for v, s in history if s == current}
    if not same or not other:
        return None
    after = max(other)
    mixed = sorted(v for v in same if v in set(other))
    return ".".join(map(str, after)), [".".join(map(str, v)) for v in mixed]


def build(mirrors: Path) -> dict[str, object]:
    library_git = mirrors / "docker-library+official-images" / "repo"
    library_commit = git(library_git, "rev-parse", "HEAD").strip()
    checkout = Path(os.environ.get("INITLINT_LIBRARY_DIR", "")) or None
    library = checkout if checkout and (checkout / "nginx").exists() else None
    rows: list[Row] = []
    tmp_library = None
    if library is None:
        import tempfile

        tmp_library = tempfile.TemporaryDirectory()
        library = Path(tmp_library.name)
        for name in git(library_git, "ls-tree", "--name-only", "HEAD", "library/").split():
            (library / os.path.basename(name)).write_text(git(library_git, "show", f"HEAD:{name}"))
    for entry in library_entries(library):
        gitdir = mirror_of(mirrors, entry.repository)
        if gitdir is None:
            continue
        path = os.path.normpath(os.path.join(entry.directory, entry.file))
        commit = entry.commit
        text = git(gitdir, "show", f"{commit}:{path}")
        if not text:
            if curated_shell(entry.image, "latest") is not None:
                continue  # a root filesystem image: CURATED says what its tarball holds
            commit = git(gitdir, "rev-parse", "HEAD").strip()
            text = git(gitdir, "show", f"{commit}:{path}")
        if not text:
            continue
        final = final_stage(text, path)
        if final is None:
            continue
        if final.parent == "scratch" and final.rootfs:
            curated = curated_shell(entry.image, entry.tags[0])
            if curated is None:
                continue
            final.parent = None
        rows.append(
            Row(entry.image, entry.tags,
                {"repository": entry.repository, "commit": commit, "dockerfile": path},
                final.parent, "windows" if entry.windows else "linux",
                "none" if entry.windows else "unknown",
                final.entrypoint, final.cmd, final.stop_signal, final.user, init_of(final),
                entry.version)
        )  # fmt: skip
    rows.extend(vendor_rows(mirrors))
    resolve_inheritance(rows)
    history: list[dict[str, object]] = []
    for image in sorted({r.image for r in rows if r.stop_signal}):
        if len({r.stop_signal for r in rows if r.image == image}) > 1:
            continue  # variants differ (php: fpm, apache, cli): no one history
        row = next(r for r in rows if r.image == image and r.stop_signal)
        gitdir = mirror_of(mirrors, row.source["repository"])
        if gitdir is None or row.stop_signal is None:
            continue
        found = since(stop_signal_history(gitdir, image), row.stop_signal)
        if found:
            history.append(
                {"image": image, "field": "stop_signal", "value": row.stop_signal,
                 "after": found[0], "before": "SIGTERM", "unknown": found[1],
                 "repository": row.source["repository"],
                 "commit": git(gitdir, "rev-parse", "HEAD").strip(),
                 "how": "git log -G STOPSIGNAL over the Dockerfiles, with the version each set"}
            )  # fmt: skip
    if tmp_library is not None:
        tmp_library.cleanup()
    return {
        "about": "Base-image facts derived from the images' Dockerfiles by "
        "scripts/build_image_table.py; do not edit by hand (edit CURATED in the script).",
        "library": {"repository": "docker-library/official-images", "commit": library_commit},
        "curated": CURATED,
        "codenames": CODENAMES,
        "history": history,
        "images": [row_json(r) for r in sorted(rows, key=lambda r: (r.image, r.tags[0]))],
    }


def vendor_rows(mirrors: Path) -> list[Row]:
    """linuxserver.io base images: every linuxserver image builds FROM one of them."""
    rows: list[Row] = []
    for repo, image, tags in (
        ("linuxserver/docker-baseimage-alpine", "linuxserver/baseimage-alpine", ["latest"]),
        ("linuxserver/docker-baseimage-ubuntu", "linuxserver/baseimage-ubuntu", ["latest"]),
    ):
        gitdir = mirror_of(mirrors, repo)
        if gitdir is None:
            continue
        commit = git(gitdir, "rev-parse", "HEAD").strip()
        final = final_stage(git(gitdir, "show", f"{commit}:Dockerfile"), "Dockerfile")
        curated = curated_shell(image, "latest")
        if final is None or curated is None:
            continue
        rows.append(
            Row(image, tags, {"repository": repo, "commit": commit, "dockerfile": "Dockerfile"},
                final.parent, "linux", curated[0], final.entrypoint, final.cmd,
                final.stop_signal, final.user, init_of(final))
        )  # fmt: skip
    return rows


def curated_shell(image: str, tag: str) -> tuple[str, str] | None:
    from fnmatch import fnmatchcase

    best: tuple[str, str] | None = None
    for row in CURATED:
        match = str(row["match"])
        if not (fnmatchcase(image, match) or fnmatchcase(image.rsplit("/", 1)[-1], match)):
            continue
        if "tag" in row and not fnmatchcase(tag, str(row["tag"])):
            continue
        if "tag" in row or best is None:
            best = (str(row["shell"]), str(row["why"]))
    return best


def resolve_inheritance(rows: list[Row]) -> None:
    by_tag = {(r.image, t): r for r in rows for t in r.tags}
    by_variant: dict[tuple[str, str], Row] = {}
    for row in rows:
        for tag in row.tags:
            by_variant.setdefault((row.image, variant(tag)), row)

    def parent_row(reference: str) -> Row | None:
        image, tag = normalize(reference)
        return by_tag.get((image, tag)) or by_variant.get((image, variant(tag)))

    def shell_of(row: Row, depth: int = 0) -> tuple[str, str]:
        if row.os == "windows":
            return "none", "Windows image"
        if row.shell != "unknown":
            return row.shell, row.shell_from
        if row.parent is None:
            curated = curated_shell(row.image, row.tags[0])
            return (curated[0], f"root filesystem: {curated[1]}") if curated else ("unknown", "")
        if depth > 8:
            return "unknown", ""
        image, tag = normalize(row.parent)
        parent = parent_row(row.parent)
        if parent is not None and parent is not row:
            shell, how = shell_of(parent, depth + 1)
            return shell, f"{row.parent} -> {how}" if how else ""
        curated = curated_shell(image, tag)
        if curated:
            return curated[0], f"{row.parent}: {curated[1]}"
        return "unknown", ""

    for row in rows:
        row.shell, row.shell_from = shell_of(row)
    # inherited ENTRYPOINT/CMD/STOPSIGNAL/USER: from the parent row when the image sets none
    for row in rows:
        chain = row
        for _ in range(8):
            if chain.parent is None:
                break
            parent = parent_row(chain.parent)
            if parent is None or parent is chain:
                break
            if row.entrypoint is None and parent.entrypoint is not None:
                row.entrypoint = parent.entrypoint
                if row.cmd is None:
                    row.cmd = parent.cmd
            elif row.cmd is None and row.entrypoint is None:
                row.cmd = parent.cmd
            row.stop_signal = row.stop_signal or parent.stop_signal
            row.user = row.user or parent.user
            row.init = row.init or parent.init
            chain = parent


def row_json(row: Row) -> dict[str, object]:
    data: dict[str, object] = {
        "image": row.image,
        "tags": sorted(row.tags),
        "os": row.os,
        "shell": row.shell,
        "shell_from": row.shell_from,
        "parent": row.parent,
        "entrypoint": row.entrypoint,
        "cmd": row.cmd,
        "stop_signal": row.stop_signal,
        "user": row.user,
        "init": row.init,
        "version": row.version,
        "source": row.source,
    }
    return data


def write_table(table: dict[str, object], out: Path) -> None:
    """The first line: everything but the rows; then one row per line, each starting
    ``{"image": NAME, `` (row_json puts the image first), an image's rows together."""
    rows = table["images"]
    assert isinstance(rows, list)
    header = {key: value for key, value in table.items() if key != "images"}
    lines = [json.dumps(header), *(json.dumps(row) for row in rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mirrors", default="/work/.mirror", type=Path)
    parser.add_argument("--out", default=OUT, type=Path)
    args = parser.parse_args()
    table = build(args.mirrors)
    write_table(table, args.out)
    images = table["images"]
    assert isinstance(images, list)
    print(f"{args.out}: {len(images)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
