# ruff: noqa: E501, RUF001
"""The generated battery: hostile, broken and odd inputs, each with the exit code and the
one-line messages the contract promises (see the README section "Bad input and limits").

Kinds: special files (FIFO, socket, device, folder, broken links) named, found in folders
and sitting where ``--fix`` writes; encodings; sizes and endless input; expansion that grows
without bound; nesting, streams and long lines; configuration files; the contract's corner
cases; and ``--fix`` on files whose bytes, links, owner, mode and line endings must survive.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.robustness.harness import Case, FixCheck

# --- building the files of a case ----------------------------------------------------------


@dataclass(frozen=True)
class Special:
    kind: str  # fifo, socket, chardev, dir, link, hardlink
    target: str = ""
    mode: int | None = None
    owner: tuple[int, int] | None = None


FIFO = Special("fifo")
SOCKET = Special("socket")
CHARDEV = Special("chardev")  # major 1, minor 3: what /dev/null is
ZERO = Special("link", "/dev/zero")  # a device that never ends
DIR = Special("dir")
LOOP = Special("link", "loop-b")  # with "loop-b" -> the name: ELOOP
DANGLING = Special("link", "missing-target")

KIND_WORDS = {
    "fifo": r"a FIFO \(named pipe\)",
    "socket": "a socket",
    "chardev": "a character device",
    "zero": "a character device",
    "dir": "a directory",
}

Layout = dict[str, "bytes | Special"]


def make(folder: Path, layout: Layout) -> None:
    for name, what in layout.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(what, bytes):
            path.write_bytes(what)
            continue
        if what.kind == "file":
            path.write_bytes(what.target.encode("utf-8", "surrogateescape"))
        elif what.kind == "fifo":
            os.mkfifo(path)
        elif what.kind == "socket":
            _bind_socket(path)
        elif what.kind == "chardev":
            os.mknod(path, 0o600 | 0o020000, os.makedev(1, 3))
        elif what.kind == "dir":
            path.mkdir()
        elif what.kind == "link":
            os.symlink(what.target, path)
            if what.target == "loop-b":
                os.symlink(path.name, path.parent / "loop-b")
        elif what.kind == "hardlink":
            os.link(folder / what.target, path)
        if what.mode is not None:
            os.chmod(path, what.mode)
        if what.owner is not None:
            os.chown(path, *what.owner)


def _bind_socket(path: Path) -> None:
    previous = os.getcwd()
    os.chdir(path.parent)  # AF_UNIX paths are limited to 108 bytes: bind the short name
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path.name)
        server.close()  # the socket file stays
    finally:
        os.chdir(previous)


def layout(files: Layout) -> Callable[[Path], None]:
    return lambda folder: make(folder, files)


# --- inputs ---------------------------------------------------------------------------------

SHELL_CMD = b"FROM debian:12\nCMD python3 /app.py\n"  # one IL102 finding
CLEAN = b'FROM debian:12\nCMD ["nginx", "-g", "daemon off;"]\n'
POD = (
    b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
    b"    - {name: c, image: nginx, command: [sh, -c, 'sleep 1; nginx']}\n"
)  # one IL103 finding
COMPOSE = (
    b"services:\n  web:\n    image: python:3.12\n    command: sh -c 'sleep 1; python3 app.py'\n"
)
IL102 = r"Dockerfile:2:1: IL102 \[error\] "
GOOD = {"good/Dockerfile": SHELL_CMD}
GOOD_FINDING = r"^good/Dockerfile:2:1: IL102 \[error\] "


def _error(name: str, message: str, line: int | None = 1) -> str:
    where = f"{name}:{line}" if line is not None else name
    return f"{where}: error: {message}"


CASES: list[Case] = []


def case(**kwargs: object) -> None:
    kwargs.setdefault("args", [])
    args = list(kwargs.pop("args"))  # type: ignore[call-overload]
    CASES.append(Case(args=["--no-docker", "--no-color", *args], **kwargs))  # type: ignore[arg-type]


# 1. special files named on the command line: one-line error, exit 2, never opened
NAMES = ("Dockerfile", "Containerfile", "api.Dockerfile", "compose.yaml", "k8s.yaml", "notes")
SPECIALS = {"fifo": FIFO, "socket": SOCKET, "chardev": CHARDEV, "zero": ZERO}
for kind, special in SPECIALS.items():
    for name in NAMES:
        case(
            id=f"named-{kind}-{name}",
            build=layout({name: special, **GOOD}),
            args=[name, "good"],
            exit_code=2,
            stderr=[_error(name, f"is {KIND_WORDS[kind]}, not a regular file: not read")],
            stdout=GOOD_FINDING,
        )

# 2. the same found in a folder: passed over with a note (names initlint does not look at:
# silently), the rest of the folder is linted
for kind, special in SPECIALS.items():
    for name in NAMES:
        looked_at = name != "notes"
        note = rf"d/{name}: note: skipped: {KIND_WORDS[kind]}, not a regular file: not read"
        case(
            id=f"folder-{kind}-{name}",
            build=layout({f"d/{name}": special, "d/sub/Dockerfile": SHELL_CMD}),
            args=["d"],
            exit_code=1,
            stderr=[note] if looked_at else [],
            stdout=r"^d/sub/" + IL102,
        )

# 3. special files where --fix writes (the vendored init and .dockerignore): the fix is
# passed over with a note naming the file, nothing is written, nothing blocks
APP = {
    "Dockerfile": b"FROM python:3.12-slim\nCOPY app.py /app.py\nCMD python3 /app.py\n",
    "app.py": b"import subprocess\nsubprocess.run(['ls'])\n",
}
for side in (".dockerignore", "initlint-init"):
    for kind, special in {**SPECIALS, "dir": DIR}.items():
        words = KIND_WORDS[kind]
        fixed = "Fixed 1 finding"  # IL102 (exec form) is fixed; the init needs the side file
        note = rf"Dockerfile: not fixed: IL20[12] at line 3: {side} is {words}, not a regular file: left alone"
        case(
            id=f"fix-side-{side}-{kind}",
            build=layout({**APP, side: special}),
            args=["--fix", "Dockerfile"],
            exit_code=1,
            stderr=[note],  # IL202's init fix (IL102's exec form is applied)
            stdout=fixed,
        )
case(
    id="fix-side-initlint-init-dangling-link",
    build=layout({**APP, "initlint-init": DANGLING}),
    args=["--fix", "Dockerfile"],
    exit_code=1,
    stderr=[
        r"Dockerfile: not fixed: nothing written: initlint-init is a symlink to a missing file"
    ],
    fix=FixCheck("Dockerfile", wrote=False),
)
case(
    id="fix-side-dockerignore-link-loop",
    build=layout({**APP, ".dockerignore": LOOP}),
    args=["--fix", "Dockerfile"],
    exit_code=1,
    stderr=[
        r"Dockerfile: not fixed: IL20[12] at line 3: cannot read \.dockerignore: "
        r"Too many levels of symbolic links"
    ],
    stdout="Fixed 1 finding",
)

# 4. encodings, from a file and from standard input
ENCODINGS: dict[str, tuple[bytes, int, list[str]]] = {
    "utf16-le": (
        "FROM debian:12\n".encode("utf-16"),
        2,
        ["{n}:1: error: file is UTF-16 encoded: save it as UTF-8"],
    ),
    "utf16-be": (
        b"\xfe\xff" + "FROM x\n".encode("utf-16-be"),
        2,
        ["{n}:1: error: file is UTF-16 encoded: save it as UTF-8"],
    ),
    "utf8-bom": (b"\xef\xbb\xbf" + SHELL_CMD, 1, []),
    "nul-line-3": (
        b"FROM debian:12\n\nRUN a\x00b\n",
        2,
        [r"{n}:3: error: binary file \(NUL byte\), not a Dockerfile"],
    ),
    "elf": (
        b"\x7fELF\x02\x01\x01" + b"\x00" * 40,
        2,
        [r"{n}:1: error: binary file \(NUL byte\), not a Dockerfile"],
    ),
    "latin1-comment": (b"# caf\xe9 cr\xe8me\nFROM debian:12\nCMD python3 /app.py\n", 1, []),
    "latin1-indented-comment": (b"FROM debian:12\n   # \xe9t\xe9\nCMD python3 /app.py\n", 1, []),
    "latin1-comment-in-continuation": (
        b"FROM debian:12\nRUN a \\\n# \xe9\n  b\nCMD python3 /app.py\n",
        1,
        [],
    ),
    "latin1-in-cmd": (
        b'FROM debian:12\nCMD ["caf\xe9"]\n',
        2,
        ["{n}:2: error: not valid UTF-8: byte 0xe9 at column 10"],
    ),
    "surrogate-bytes": (
        b"FROM debian:12\nCMD echo \xed\xa0\x80\n",
        2,
        ["{n}:2: error: not valid UTF-8: byte 0xed at column 10"],
    ),
    "overlong-slash": (
        b"FROM debian:12\nCMD /bin\xc0\xafsh\n",
        2,
        ["{n}:2: error: not valid UTF-8: byte 0xc0 at column 9"],
    ),
    "truncated-at-end": (
        b"FROM debian:12\nCMD echo \xe2\x82",
        2,
        ["{n}:2: error: not valid UTF-8: byte 0xe2 at column 10"],
    ),
    "crlf": (SHELL_CMD.replace(b"\n", b"\r\n"), 1, []),
    "mixed-eol": (b"FROM debian:12\r\nRUN a\nCMD python3 /app.py\r\n", 1, []),
    "empty": (b"", 2, ["{n}:1: error: empty file: a Dockerfile needs at least a FROM instruction"]),
    "blank": (
        b" \n\t\n\r\n",
        2,
        ["{n}:1: error: empty file: a Dockerfile needs at least a FROM instruction"],
    ),
}
for label, (content, code, messages) in ENCODINGS.items():
    for source in ("file", "stdin"):
        name = "Dockerfile" if source == "file" else "<stdin>"
        case(
            id=f"encoding-{label}-{source}",
            build=layout({"Dockerfile": content} if source == "file" else {}),
            args=["Dockerfile" if source == "file" else "-"],
            stdin=content if source == "stdin" else None,
            exit_code=code,
            stderr=[m.format(n=name) for m in messages],
        )
case(
    id="encoding-yaml-latin1-comment",
    build=layout({"k8s.yaml": POD.replace(b"apiVersion", b"# \xe9\napiVersion", 1)}),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=["k8s.yaml:1: error: not valid UTF-8: byte 0xe9 at column 3"],
)
case(
    id="encoding-yaml-utf16",
    build=layout({"k8s.yaml": POD.decode().encode("utf-16")}),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=["k8s.yaml:1: error: file is UTF-16 encoded: save it as UTF-8"],
)


# 5. sizes and endless input
def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        with open(folder / name, "wb") as handle:
            handle.truncate(size)  # a hole: nothing to write, nothing may be read

    return build


def _stream(documents: int) -> bytes:
    return b"".join(
        b"---\n" + POD.replace(b"name: p}", b"name: p%d}" % i) for i in range(documents)
    )


ONE_MIB = 1024 * 1024
DOCKERFILE_LIMIT = r"initlint reads Dockerfiles up to 1 MiB"
YAML_LIMIT = r"initlint reads YAML up to 16 MiB \(Dockerfiles up to 1 MiB\)"
case(
    id="size-dockerfile-over-1mib",
    build=layout({"Dockerfile": b"FROM debian:12\n" + b"# pad\n" * (ONE_MIB // 6)}),
    args=["Dockerfile"],
    exit_code=2,
    stderr=[rf"Dockerfile:1: error: file is 1\.0 MiB; {DOCKERFILE_LIMIT}"],
)
case(
    id="size-dockerfile-just-under-1mib",
    build=layout({"Dockerfile": SHELL_CMD + b"#" * (ONE_MIB - len(SHELL_CMD) - 1) + b"\n"}),
    args=["Dockerfile"],
    exit_code=1,
    stdout="^" + IL102,
)
case(
    id="size-sparse-2gib-dockerfile-unread",
    build=_sparse("Dockerfile", 2 * 1024**3),
    args=["Dockerfile"],
    exit_code=2,
    stderr=[rf"Dockerfile:1: error: file is 2048 MiB; {DOCKERFILE_LIMIT}"],
)
case(
    id="size-sparse-17mib-yaml-unread",
    build=_sparse("k8s.yaml", 17 * ONE_MIB),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=[rf"k8s.yaml:1: error: file is 17 MiB; {YAML_LIMIT}"],
)
case(
    id="size-yaml-stream-over-1mib-is-linted",
    build=layout({"k8s.yaml": _stream(9000)}),  # 1.2 MiB: rendered Helm output is this big
    args=["k8s.yaml"],
    exit_code=1,
    stdout=r"Found 9000 findings",
)
case(
    id="size-stdin-dev-zero",
    build=layout({}),
    args=["-"],
    stdin="/dev/zero",
    exit_code=2,
    stderr=[rf"<stdin>:1: error: input is over 16 MiB; {YAML_LIMIT}: stopped reading"],
)
case(
    id="size-stdin-dev-zero-process",
    build=layout({}),
    args=["-"],
    stdin="/dev/zero",
    subprocess=True,
    exit_code=2,
    stderr=[rf"<stdin>:1: error: input is over 16 MiB; {YAML_LIMIT}: stopped reading"],
)
case(
    id="size-stdin-2mib-dockerfile",
    build=layout({}),
    args=["-"],
    stdin=SHELL_CMD + b"# pad\n" * (2 * ONE_MIB // 6),
    exit_code=2,
    stderr=[rf"<stdin>:1: error: input is 2\.0 MiB; {DOCKERFILE_LIMIT}"],
)
case(
    id="size-stdin-yaml-stream-over-1mib",
    build=layout({}),
    args=["-"],
    stdin=_stream(9000),
    exit_code=1,
    stdout=r"Found 9000 findings",
)
case(
    id="size-empty-yaml",
    build=layout({"k8s.yaml": b"\n"}),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=["k8s.yaml:1: error: empty file: no compose services or Kubernetes objects"],
)
case(
    id="size-yaml-only-comments",
    build=layout({"k8s.yaml": b"# nothing\n---\n# here\n"}),
    args=["k8s.yaml"],
    exit_code=0,
    stderr=[
        r"k8s.yaml: note: skipped: line 1: empty YAML: no compose services or Kubernetes objects"
    ],
)


# 6. expansion that grows without bound
def _doubling(keyword: str, count: int, width: int = 16) -> bytes:
    lines = [f"{keyword} A0={'x' * width}"]
    lines += [f"{keyword} A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, count)]
    body = "\n".join(lines)
    if keyword == "ARG":
        return f"{body}\nFROM debian:12\nCMD python3 /app.py\n".encode()
    return f"FROM debian:12\n{body}\nCMD python3 /app.py\n".encode()


GROWS = r"variable expansion grows past 1 MiB \(A\d* and the variables before it keep growing\): not expanded further"
for keyword in ("ARG", "ENV"):
    for count, width in ((40, 16), (64, 1), (30, 4096)):
        case(
            id=f"expand-{keyword.lower()}-doubling-{count}x{width}",
            build=layout({"Dockerfile": _doubling(keyword, count, width)}),
            args=["Dockerfile"],
            exit_code=2,
            stderr=[rf"Dockerfile:\d+: error: {keyword}: {GROWS}"],
        )
case(
    id="expand-many-references-in-one-line",
    build=layout(
        {
            "Dockerfile": b"ARG A="
            + b"x" * 60000
            + b"\nFROM debian:12\nARG A\nENV B="
            + b"$A" * 5000
            + b"\nCMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=2,
    stderr=[rf"Dockerfile:4: error: ENV: {GROWS}"],
)
case(
    id="expand-glob-trim-on-long-values",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12\nENV A="
            + b"y" * 30000
            + b"\n"
            + b"".join(b"ENV B%d=${A%%%%*x}\n" % i for i in range(200))
            + b"CMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=2,
    stderr=[
        r"Dockerfile:\d+: error: ENV: pattern trimming \(\$\{VAR%\.\.\.\}, \$\{VAR#\.\.\.\}, "
        r"\$\{VAR/\.\.\.\}\) on values this long costs too much: not expanded"
    ],
)
case(
    id="expand-short-glob-trim-is-fine",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12\nENV A=a.tar.gz\nENV B=${A%%.*}\nSTOPSIGNAL ${A#a.}\nCMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=1,
    stdout=r"STOPSIGNAL tar\.gz is not a signal",
)
case(
    id="expand-nested-defaults-deep",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12\nENV B="
            + b"${A:-" * 3000
            + b"x"
            + b"}" * 3000
            + b"\nCMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=2,
    stderr=[r"Dockerfile:1: error: too deeply nested to lint \(.*\)"],
)
_K8S_ENV = "\n".join(
    f"        - {{name: A{i}, value: '$(A{i - 1})$(A{i - 1})'}}" for i in range(1, 64)
)
case(
    id="expand-kubernetes-env-doubling",
    build=layout(
        {
            "k8s.yaml": (
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                "    - name: c\n      image: nginx\n      command: [sh, -c, 'echo $(A63); nginx']\n"
                f"      env:\n        - {{name: A0, value: xxxxxxxxxxxxxxxx}}\n{_K8S_ENV}\n"
            ).encode()
        }
    ),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=[rf"k8s.yaml:\d+: error: env A\d+: {GROWS}"],
)
case(
    id="expand-from-arg-without-default",
    build=layout({"Dockerfile": b"ARG BASE\nFROM ${BASE}\nCMD python3 /app.py\n"}),
    args=["Dockerfile"],
    exit_code=1,  # accepted, not an input error: IL102 names /bin/sh as unknown
)
case(
    id="expand-from-registry-arg-without-default",
    build=layout(
        {
            "Dockerfile": b'ARG REGISTRY\nFROM ${REGISTRY}/app:1 AS base\nFROM base\nCMD ["sleep", "1"]\n'
        }
    ),
    args=["Dockerfile"],
    exit_code=0,
)


# 7. nesting, streams, long lines, odd structure
def _list(items: int) -> bytes:
    item = b"  - {apiVersion: v1, kind: Pod, metadata: {name: p%d}, spec: {containers: [{name: c, image: nginx, command: [sh, -c, 'sleep 1; nginx']}]}}\n"
    return b"apiVersion: v1\nkind: List\nitems:\n" + b"".join(item % i for i in range(items))


case(
    id="yaml-stream-10000-documents",
    build=layout({"k8s.yaml": _stream(10000)}),
    args=["k8s.yaml"],
    exit_code=1,
    stdout=r"Found 10000 findings",
)
case(
    id="yaml-stream-10001-documents",
    build=layout({"k8s.yaml": _stream(10001)}),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=[r"k8s.yaml:1: error: more than 10000 YAML documents"],
)
case(
    id="yaml-list-5000-items",
    build=layout({"k8s.yaml": _list(5000)}),
    args=["k8s.yaml"],
    exit_code=1,
    stdout=r"Found 5000 findings",
)
for depth, code in ((10000, 2), (501, 2), (150, 1)):
    nested = b"[" * depth + b"]" * depth
    case(
        id=f"yaml-flow-nesting-{depth}",
        build=layout({"k8s.yaml": POD + b"x: " + nested + b"\n"}),
        args=["k8s.yaml"],
        exit_code=code,
        stderr=[]
        if code == 1
        else [r"k8s.yaml:7: error: YAML nested more than 500 levels deep: not read"],
    )
case(
    id="yaml-block-nesting-300",
    build=layout(
        {"k8s.yaml": POD + b"".join(b"  " * i + b"a:\n" for i in range(300)) + b"  " * 300 + b"b\n"}
    ),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=[r"k8s.yaml:\d+: error: (YAML nested more than 200 levels deep|invalid YAML: .*)"],
)
case(
    id="yaml-alias-bomb",
    build=layout(
        {
            "k8s.yaml": b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + b"".join(
                b"x%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n"
                % ((i, i) + (i - 1,) * 9)
                for i in range(1, 10)
            )
        }
    ),
    args=["k8s.yaml"],
    exit_code=2,
    stderr=[
        r"k8s.yaml:\d+: error: the YAML expands to more than 200000 nodes through aliases \(an alias bomb\?\): refusing to read it"
    ],
)
case(
    id="yaml-empty-documents-between-separators",
    build=layout({"k8s.yaml": b"---\n---\n" + POD + b"---\n\n---\n...\n"}),
    args=["k8s.yaml"],
    exit_code=1,
    stdout=r"^k8s.yaml:8:\d+: IL103 ",
)
case(
    id="yaml-null-document-in-stream",
    build=layout({"k8s.yaml": b"null\n---\n" + POD + b"--- ~\n"}),
    args=["k8s.yaml"],
    exit_code=1,
    stdout=r"IL103",
)
case(
    id="dockerfile-deep-json-in-cmd",
    build=layout({"Dockerfile": b"FROM debian:12\nCMD " + b"[" * 100000 + b"]" * 100000 + b"\n"}),
    args=["Dockerfile"],
    exit_code=1,
    stdout=r"^Dockerfile:2:1: IL102 \[error\] ",
)
case(
    id="dockerfile-one-long-line",
    build=layout({"Dockerfile": b"FROM debian:12\nCMD python3 /app.py " + b"a" * 900_000 + b"\n"}),
    args=["Dockerfile"],
    exit_code=1,
    stdout="^" + IL102,
)
case(
    id="dockerfile-50000-instructions",
    build=layout(
        {"Dockerfile": b"FROM debian:12\n" + b"RUN true\n" * 50000 + b"CMD python3 /app.py\n"}
    ),
    args=["Dockerfile"],
    exit_code=1,
    stdout=r"^Dockerfile:50002:1: IL102",
)
case(
    id="dockerfile-5000-stages",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12 AS s0\n"
            + b"".join(b"FROM s%d AS s%d\n" % (i - 1, i) for i in range(1, 5000))
            + b"CMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=1,
    stdout=r"IL102",
)
case(
    id="dockerfile-20000-continuations",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12\nRUN a \\\n"
            + b"  && b \\\n" * 20000
            + b"  && c\nCMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=1,
    stdout=r"IL102",
)
case(
    id="dockerfile-heredoc-100000-lines",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12\nRUN <<EOF\n"
            + b"echo hi\n" * 100000
            + b"EOF\nCMD python3 /app.py\n"
        }
    ),
    args=["Dockerfile"],
    exit_code=1,
    stdout=r"IL102",
)
case(
    id="dockerfile-heredoc-unterminated",
    build=layout({"Dockerfile": b"FROM debian:12\nRUN <<EOF\necho\nCMD x\n"}),
    args=["Dockerfile"],
    exit_code=2,
    stderr=["Dockerfile:2: error: unterminated heredoc EOF"],
)
case(
    id="dockerfile-onbuild-chain",
    build=layout(
        {
            "Dockerfile": b"FROM debian:12 AS s0\nONBUILD CMD python3 /app.py\n"
            + b"".join(b"FROM s%d AS s%d\nONBUILD RUN true\n" % (i - 1, i) for i in range(1, 300))
        }
    ),
    args=["Dockerfile"],
    exit_code=1,
)
for label, special, message in (
    ("link-loop", LOOP, "cannot read: Too many levels of symbolic links"),
    ("dangling-link", DANGLING, "cannot read: No such file or directory"),
):
    case(
        id=f"named-{label}",
        build=layout({"Dockerfile": special}),
        args=["Dockerfile"],
        exit_code=2,
        stderr=[_error("Dockerfile", message)],
    )
case(
    id="named-folder-called-dockerfile",
    build=layout({"Dockerfile": DIR}),
    args=["Dockerfile"],
    exit_code=0,
    stderr=[
        r"initlint: nothing to lint: no Dockerfile, compose file or Kubernetes manifest in Dockerfile .*"
    ],
)
case(
    id="folder-link-loop-and-dangling",
    build=layout({"d/Dockerfile": LOOP, "d/x/Dockerfile": SHELL_CMD}),
    args=["d"],
    exit_code=2,
    stderr=[r"d/Dockerfile:1: error: cannot read: Too many levels of symbolic links"],
    stdout=r"^d/x/" + IL102,
)


# 8. configuration files: errors name the configuration file, never the Dockerfile
def _config(text: bytes | Special, name: str = "pyproject.toml") -> Callable[[Path], None]:
    return layout({"Dockerfile": SHELL_CMD, name: text})


CONFIGS: dict[str, tuple[Callable[[Path], None], list[str], list[str]]] = {
    "bad-glob": (
        _config(b'[tool.initlint.per-file-ignores]\n"[z-a]" = ["IL101"]\n'),
        [],
        [
            r"pyproject.toml:2: error: per-file-ignores: bad glob '\[z-a\]': bad character range z-a at position 1"
        ],
    ),
    "deep-toml": (
        _config(b"[tool.initlint]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        [],
        ["pyproject.toml:1: error: invalid TOML: nested too deeply to read"],
    ),
    "invalid-toml": (
        _config(b"[tool.initlint\n"),
        [],
        [r"pyproject.toml:1: error: invalid TOML: .*"],
    ),
    "unknown-key": (
        _config(b"[tool.initlint]\nfrobnicate = 1\n"),
        [],
        [r"pyproject.toml:2: error: unknown option 'frobnicate' \(known: .*\)"],
    ),
    "not-utf8": (
        _config(b"# \xe9\n[tool.initlint]\nselect = ['IL1']\n"),
        [],
        ["pyproject.toml:1: error: configuration is not valid UTF-8"],
    ),
    "explicit-fifo": (
        _config(FIFO, "c.toml"),
        ["--config", "c.toml"],
        [r"c.toml: error: is a FIFO \(named pipe\), not a regular file: not read"],
    ),
    "explicit-folder": (
        _config(DIR, "c.toml"),
        ["--config", "c.toml"],
        ["c.toml: error: is a directory, not a regular file: not read"],
    ),
    "explicit-missing": (
        _config(b"", "other"),
        ["--config", "c.toml"],
        ["c.toml: error: configuration file not found"],
    ),
    "found-fifo-ignored": (_config(FIFO, ".initlint.toml"), [], []),
}
for label, (build, extra, messages) in CONFIGS.items():
    case(
        id=f"config-{label}",
        build=build,
        args=[*extra, "Dockerfile"],
        exit_code=2 if messages else 1,
        stderr=messages,
    )

# 9. the contract's corner cases
case(
    id="contract-named-compose-that-is-not",
    build=layout({"compose.yaml": b"foo: 1\n"}),
    args=["compose.yaml"],
    exit_code=2,
    stderr=[
        r"compose.yaml:1: error: not a compose file \(no services:\) or Kubernetes manifest \(no apiVersion and kind\)"
    ],
)
case(
    id="contract-named-docker-compose-list",
    build=layout({"docker-compose.yml": b"- a\n- b\n"}),
    args=["docker-compose.yml"],
    exit_code=2,
    stderr=[r"docker-compose.yml:1: error: not a compose file .*"],
)
case(
    id="contract-unknown-yaml-in-folder-is-a-note",
    build=layout({"d/compose.yaml": b"foo: 1\n", "d/Dockerfile": SHELL_CMD}),
    args=["d"],
    exit_code=1,
    stderr=[r"d/compose.yaml: note: skipped: line 1: not a compose file .*"],
)
for selector in ("", " , ", ","):
    case(
        id=f"contract-empty-select-{selector.strip() or 'blank'}-{len(selector)}",
        build=layout({"Dockerfile": SHELL_CMD}),
        args=["--select", selector, "Dockerfile"],
        exit_code=2,
        stderr=[
            r"usage: initlint \[OPTIONS\] \[PATHS \.\.\.\]",
            r"initlint: error: argument --select: needs at least one rule id or prefix \(ALL selects every rule\)",
        ],
    )
for label, value in (
    ("superscript", "⁵"),
    ("arabic-indic", "٣"),
    ("fullwidth", "１５"),
    ("huge-number", "9" * 5000),
    ("rtmin-overflow", "SIGRTMIN+99"),
    ("negative", "-1"),
    ("zero", "0"),
):
    case(
        id=f"contract-stopsignal-{label}",
        build=layout(
            {"Dockerfile": f'FROM debian:12\nSTOPSIGNAL {value}\nCMD ["sleep", "9"]\n'.encode()}
        ),
        args=["Dockerfile"],
        exit_code=1,
        stdout=r"^Dockerfile:2:\d+: IL108 \[warning\] STOPSIGNAL .* is not a signal",
    )
case(
    id="contract-image-without-engine",
    build=layout({}),
    args=["--image", "app:1"],
    env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"},
    exit_code=2,
    stderr=[
        r"app:1: error: no Docker engine answers at unix:///nonexistent/docker.sock: No such file or directory \(start the engine, or point DOCKER_HOST at one\)"
    ],
)


# 10. --fix keeps what it did not mean to change
def _fixable(eol: bytes = b"\n", final: bool = True, head: bytes = b"") -> bytes:
    lines = [b"# base", b"FROM debian:12", b"# the app", b"CMD python3 /app.py"]
    text = head + eol.join(lines)
    return text + eol if final else text


FIX_FILES: dict[str, bytes] = {
    "lf": _fixable(),
    "crlf": _fixable(b"\r\n"),
    "lf-no-final-newline": _fixable(final=False),
    "crlf-no-final-newline": _fixable(b"\r\n", final=False),
    "bom-crlf": _fixable(b"\r\n", head=b"\xef\xbb\xbf"),
    "latin1-comment-crlf": _fixable(b"\r\n", head=b"# caf\xe9\r\n"),
    "tabs-and-trailing-space": _fixable(head=b"\t# x  \n"),
}
for label, content in FIX_FILES.items():
    case(
        id=f"fix-bytes-{label}",
        build=layout({"Dockerfile": content}),
        args=["--fix", "Dockerfile"],
        exit_code=0,
        fix=FixCheck("Dockerfile"),
    )
for mode in (0o600, 0o640, 0o755, 0o444, 0o4755):
    case(
        id=f"fix-mode-{mode:o}",
        build=layout({"Dockerfile": Special("file", _fixable().decode(), mode=mode)}),
        args=["--fix", "Dockerfile"],
        exit_code=0,
        fix=FixCheck("Dockerfile"),
    )
for owner in ((1000, 1000), (0, 1000), (65534, 65534)):
    case(
        id=f"fix-owner-{owner[0]}-{owner[1]}",
        build=layout({"Dockerfile": Special("file", _fixable().decode(), 0o640, owner)}),
        args=["--fix", "Dockerfile"],
        exit_code=0,
        fix=FixCheck("Dockerfile"),
    )
for label, files, target in (
    ("symlink", {"real": _fixable(), "Dockerfile": Special("link", "real")}, "Dockerfile"),
    (
        "symlink-crlf",
        {"real": _fixable(b"\r\n"), "Dockerfile": Special("link", "real")},
        "Dockerfile",
    ),
    (
        "symlink-chain",
        {"real": _fixable(), "mid": Special("link", "real"), "Dockerfile": Special("link", "mid")},
        "Dockerfile",
    ),
    (
        "symlink-other-folder",
        {
            "src/Dockerfile.real": _fixable(),
            "app/Dockerfile": Special("link", "../src/Dockerfile.real"),
        },
        "app/Dockerfile",
    ),
    (
        "symlink-absolute-owner",
        {
            "real": Special("file", _fixable().decode(), 0o600, (1000, 1000)),
            "Dockerfile": Special("link", "real"),
        },
        "Dockerfile",
    ),
):
    case(
        id=f"fix-{label}",
        build=layout(files),
        args=["--fix", target],
        exit_code=0,
        fix=FixCheck(target),
    )
case(
    id="fix-hard-link-is-refused",
    build=layout({"real": _fixable(), "Dockerfile": Special("hardlink", "real")}),
    args=["--fix", "Dockerfile"],
    exit_code=1,
    stderr=[
        r"Dockerfile: not fixed: nothing written: Dockerfile has 2 hard links: replacing it "
        r"would split them \(use --diff and apply the change by hand\)"
    ],
    fix=FixCheck("Dockerfile", wrote=False),
)
CREATED = [
    r"initlint-init: created by the fix of Dockerfile, which COPYs it: add it to version control \(git add initlint-init\)"
]
DOCKERIGNORES = {
    "dockerignore-crlf": b"*\r\n!app.py\r\n!Dockerfile\r\n",
    "dockerignore-lf": b"*\n!app.py\n",
    "dockerignore-no-final-newline": b"*\n!app.py",
    "dockerignore-crlf-no-final-newline": b"*\r\n!app.py",
    "dockerignore-latin1": b"# caf\xe9\n*\n!app.py\n",
    "dockerignore-star-star": b"**\r\n!app.py\r\n",
}
for label, ignore in DOCKERIGNORES.items():
    case(
        id=f"fix-{label}",
        build=layout({**APP, ".dockerignore": ignore}),
        args=["--fix", "Dockerfile"],
        exit_code=0,
        stderr=CREATED,
        fix=FixCheck(
            "Dockerfile", created=("initlint-init",), changed=rb"^\s*(CMD|!initlint-init)"
        ),
    )
case(
    id="fix-dockerignore-symlink",
    build=layout(
        {**APP, "ignore.real": b"*\r\n!app.py\r\n", ".dockerignore": Special("link", "ignore.real")}
    ),
    args=["--fix", "Dockerfile"],
    exit_code=0,
    stderr=CREATED,
    fix=FixCheck("Dockerfile", created=("initlint-init",)),
)
case(
    id="fix-dockerignore-hard-link-refused",
    build=layout(
        {**APP, "ignore.real": b"*\n!app.py\n", ".dockerignore": Special("hardlink", "ignore.real")}
    ),
    args=["--fix", "Dockerfile"],
    exit_code=1,
    stderr=[
        r"Dockerfile: not fixed: nothing written: \.dockerignore has 2 hard links: replacing "
        r"it would split them \(use --diff and apply the change by hand\)"
    ],
    fix=FixCheck("Dockerfile", wrote=False),
)
case(
    id="fix-crlf-app-with-init",
    build=layout({k: v.replace(b"\n", b"\r\n") for k, v in APP.items()}),
    args=["--fix", "Dockerfile"],
    exit_code=0,
    stderr=CREATED,
    fix=FixCheck("Dockerfile", created=("initlint-init",)),
)
case(
    id="fix-compose-crlf",
    build=layout({"compose.yaml": COMPOSE.replace(b"\n", b"\r\n")}),
    args=["--fix", "compose.yaml"],
    exit_code=0,
    fix=FixCheck("compose.yaml", changed=rb"^\s*command"),
)
case(
    id="fix-kubernetes-crlf",
    build=layout({"k8s.yaml": POD.replace(b"\n", b"\r\n")}),
    args=["--fix", "k8s.yaml"],
    exit_code=0,
    fix=FixCheck("k8s.yaml", changed=rb"^\s*- \{name: c"),
)
case(
    id="fix-entrypoint-script-crlf",
    build=layout(
        {
            "Dockerfile": b'FROM node:20\r\nCOPY entry.sh /entry.sh\r\nENTRYPOINT ["/entry.sh"]\r\n',
            "entry.sh": Special("file", "#!/bin/sh\r\necho hi\r\nnode server.js\r\n", 0o755),
        }
    ),
    args=["--fix", "Dockerfile"],
    exit_code=0,
    fix=FixCheck("entry.sh", changed=rb"^node server"),
)
case(
    id="fix-entrypoint-script-symlink-keeps-link",
    build=layout(
        {
            "Dockerfile": b'FROM node:20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n',
            "scripts/entry.sh": Special("file", "#!/bin/sh\nnode server.js\n", 0o750),
            "entry.sh": Special("link", "scripts/entry.sh"),
        }
    ),
    args=["--fix", "Dockerfile"],
    exit_code=0,
    fix=FixCheck("entry.sh", changed=rb"^node server"),
)

# 11. files that inputs refer to: compose include, a service's Dockerfile, .env, .gitignore
PY_COMPOSE = (
    b"services:\n  web:\n    image: python:3.12\n    command: sh -c 'sleep 1; python3 app.py'\n"
)
IL103_COMPOSE = r"^compose.yaml:4:\d+: IL103 "
case(
    id="refers-compose-include-fifo",
    build=layout({"compose.yaml": b"include:\n  - other.yaml\n" + PY_COMPOSE, "other.yaml": FIFO}),
    args=["compose.yaml"],
    exit_code=2,
    stderr=[
        r"compose.yaml:2: error: include: cannot read other.yaml: is a FIFO \(named pipe\), not a regular file"
    ],
)
case(
    id="refers-compose-build-dockerfile-fifo",
    build=layout(
        {
            "compose.yaml": b"services:\n  web:\n    build: .\n    command: sh -c 'sleep 1; python3 app.py'\n",
            "Dockerfile": FIFO,
        }
    ),
    args=["compose.yaml"],
    exit_code=0,
)
case(
    id="refers-compose-dotenv-fifo",
    build=layout({"compose.yaml": PY_COMPOSE, ".env": FIFO}),
    args=["compose.yaml"],
    exit_code=1,
    stdout=IL103_COMPOSE,
)
case(
    id="refers-gitignore-fifo-in-folder",
    build=layout({"compose.yaml": PY_COMPOSE, ".gitignore": FIFO}),
    args=["."],
    exit_code=1,
    stdout=IL103_COMPOSE,
)
case(
    id="refers-entrypoint-script-fifo",
    build=layout(
        {
            "Dockerfile": b'FROM node:20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n',
            "entry.sh": FIFO,
        }
    ),
    args=["--fix", "Dockerfile"],
    exit_code=0,
)
case(
    id="refers-python-app-fifo",
    build=layout(
        {
            "Dockerfile": b'FROM python:3.12-slim\nCOPY app.py /app.py\nCMD ["python3", "/app.py"]\n',
            "app.py": FIFO,
        }
    ),
    args=["Dockerfile"],
    exit_code=0,
)
