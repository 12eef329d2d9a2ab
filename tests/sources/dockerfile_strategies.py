"""Hypothesis strategies that write valid Dockerfiles full of the constructs parsers get wrong.

Each instruction is drawn as a list of words, then laid out over physical lines: split at
word boundaries with the escape character, blank lines, comment lines and trailing white
space slipped between the pieces, heredoc bodies after the line, CRLF or LF endings.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

KEYWORDS_WITH_COMMANDS = ("CMD", "ENTRYPOINT", "RUN", "SHELL")
SIMPLE_KEYWORDS = ("USER", "WORKDIR", "STOPSIGNAL", "EXPOSE", "VOLUME", "ARG", "MAINTAINER")
# Plain words never contain an escape character (`\` or backtick) or start with `#`, so a
# piece boundary never turns into a continuation or a comment by accident; NASTY_WORDS do.
NASTY_WORDS = st.sampled_from(
    ["C:\\", "x\\\\", "a\\b", "`", "``", "q`", "\\ ", "'<<EOF'", "<<EOF>out", "cat<<EOF"]
)
PLAIN_WORDS = st.sampled_from(
    [
        "echo", "hello", "python3", "app.py", "--port=8080", "&&", "||", "|", ";", ">",
        "/bin/sh", "-c", "$HOME", "${APP:-x}", "'single quoted'", '"double quoted"', "a#b",
        "CMD", "FROM", "EOF", "<", "x=1", "[1]", "é", "node", "server.js", "exec", "'it''s'",
        "\"$PATH\"", "{a,b}", "*.txt", "2>&1", "nginx", "-g", "'daemon off;'",
    ]
)  # fmt: skip
JSON_ELEMENTS = st.sampled_from(
    ["/usr/bin/app", "--flag", "a b", 'say "hi"', "", "é", "$HOME", "<<EOF", "x,y", "[", "]"]
)
DELIMITERS = st.sampled_from(["EOF", "END", "SCRIPT", "PY", "E_1"])
BODY_LINES = st.sampled_from(
    [
        "CMD [\"not\", \"an\", \"instruction\"]", "FROM scratch", "echo hi", "",
        "  indented", "\tTABBED", "# not a comment", "set -e", "EOF2", "\\", "`",
        "ENTRYPOINT x", "RUN x \\", "$VAR ${X}", "EOF ", " EOF", "\tEOF\t",
    ]
)  # fmt: skip


def _case(draw: st.DrawFn, keyword: str) -> str:
    style = draw(st.sampled_from(["upper", "lower", "title"]))
    return {"upper": keyword, "lower": keyword.lower(), "title": keyword.title()}[style]


@st.composite
def json_array(draw: st.DrawFn) -> str:
    elements = draw(st.lists(JSON_ELEMENTS, min_size=0, max_size=4))
    separator = draw(st.sampled_from([", ", ",", " , "]))
    return "[" + separator.join(json.dumps(e, ensure_ascii=False) for e in elements) + "]"


@st.composite
def broken_json(draw: st.DrawFn) -> str:
    """Looks like exec form but is not JSON: BuildKit takes it as shell form."""
    elements = draw(st.lists(st.sampled_from(["a", "b c", "/bin/x"]), min_size=1, max_size=3))
    kind = draw(st.sampled_from(["trailing comma", "single quotes", "unquoted", "NaN"]))
    if kind == "trailing comma":
        return "[" + ", ".join(json.dumps(e) for e in elements) + ",]"
    if kind == "single quotes":
        return "[" + ", ".join(f"'{e}'" for e in elements) + "]"
    if kind == "unquoted":
        return "[" + ", ".join(e.replace(" ", "_") for e in elements) + "]"
    return "[" + json.dumps(elements[0]) + ", NaN]"


@st.composite
def heredoc_opener(draw: st.DrawFn) -> tuple[str, str, bool]:
    """The ``<<`` word, the delimiter name, whether leading tabs are stripped."""
    name = draw(DELIMITERS)
    chomp = draw(st.booleans())
    quote = draw(st.sampled_from(["", "'", '"']))
    fd = draw(st.sampled_from(["", "", "3"]))
    return f"{fd}<<{'-' if chomp else ''}{quote}{name}{quote}", name, chomp


@st.composite
def instruction(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """The words of one instruction and the lines that follow it (heredoc bodies)."""
    kind = draw(
        st.sampled_from(
            ["command", "command", "heredoc", "env", "label", "simple", "onbuild", "health"]
        )
    )
    trailer: list[str] = []
    if kind == "command":
        keyword = draw(st.sampled_from(KEYWORDS_WITH_COMMANDS))
        form = draw(st.sampled_from(["shell", "json", "broken"]))
        if form == "json" or keyword == "SHELL":
            args = draw(json_array()).split(", ")  # elements may land on separate lines
        elif form == "broken":
            args = draw(broken_json()).split(", ")
        else:
            args = draw(st.lists(PLAIN_WORDS | NASTY_WORDS, min_size=1, max_size=6))
        flags = ["--mount=type=cache,target=/root/.cache"] if keyword == "RUN" else []
        if keyword == "RUN" and draw(st.booleans()):
            flags.append('--mount="type=secret, id=token"')
        return [_case(draw, keyword), *flags, *args], trailer
    if kind == "heredoc":
        keyword = draw(st.sampled_from(["RUN", "COPY", "ADD"]))
        openers = draw(st.lists(heredoc_opener(), min_size=1, max_size=3))
        words = [_case(draw, keyword)]
        for opener, name, chomp in openers:
            words.append(opener)
            body = draw(st.lists(BODY_LINES, max_size=4))
            trailer.extend(line for line in body if line.lstrip("\t") != name)
            trailer.append(("\t" if chomp and draw(st.booleans()) else "") + name)
        words.extend(draw(st.lists(PLAIN_WORDS, max_size=2)) if keyword == "RUN" else ["/dst"])
        return words, trailer
    if kind == "env":
        if draw(st.booleans()):
            return [_case(draw, "ENV"), "LEGACY_KEY", "value", "with", "spaces"], trailer
        pairs = draw(
            st.lists(
                st.sampled_from(
                    [
                        "A=1",
                        'B="x y"',
                        "C=$A",
                        "D=",
                        "E=a\\ b",
                        "F='x y'",
                        'G="a\\"b"',
                        "H=a=b",
                        "I=`x",
                    ]
                ),
                min_size=1,
            )
        )
        return [_case(draw, "ENV"), *pairs], trailer
    if kind == "label":
        return [_case(draw, "LABEL"), "org.opencontainers.image.title=app", 'v="1 2"'], trailer
    if kind == "onbuild":
        inner, more = draw(instruction())
        if inner[0].upper() in ("ONBUILD", "MAINTAINER"):
            return inner, more
        return [_case(draw, "ONBUILD"), *inner], more
    if kind == "health":
        if draw(st.booleans()):
            return [_case(draw, "HEALTHCHECK"), "NONE"], trailer
        command = draw(st.sampled_from([draw(json_array()), "curl -f http://localhost/"]))
        return [_case(draw, "HEALTHCHECK"), "--interval=5s", "CMD", command], trailer
    keyword = draw(st.sampled_from(SIMPLE_KEYWORDS))
    return [_case(draw, keyword), *draw(st.lists(PLAIN_WORDS, min_size=1, max_size=3))], trailer


@st.composite
def layout(draw: st.DrawFn, words: list[str], escape: str, last: bool) -> list[str]:
    """Spread ``words`` over physical lines joined by continuations."""
    lines: list[str] = []
    current = words[0]
    for word in words[1:]:
        if draw(st.integers(0, 3)) == 0:
            trailing = draw(st.sampled_from(["", "", " ", "\t", "  \t"]))
            lines.append(current + " " + escape + trailing)
            for _ in range(draw(st.integers(0, 2))):
                lines.append(
                    draw(st.sampled_from(["", "   ", "# inside", "  # indented", " " + escape]))
                )
            indent = draw(st.sampled_from(["", "  ", "\t"]))
            current = indent + word
        else:
            current += draw(st.sampled_from([" ", "  ", "\t"])) + word
    if last and draw(st.integers(0, 5)) == 0:
        current += " " + escape  # continuation at the end of the file
    lines.append(current)
    return lines


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    escape = draw(st.sampled_from(["\\", "\\", "`"]))
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# syntax=docker/dockerfile:1")
    if draw(st.integers(0, 5)) == 0:
        lines.append(draw(st.sampled_from(["", "# hello=world", "# hello", "#x=y"])))
    if escape == "`" or draw(st.integers(0, 3)) == 0:
        lines.append(draw(st.sampled_from(["# escape=", "#escape=", "  # ESCAPE = "])) + escape)
    lines.append(f"{_case(draw, 'FROM')} python:3.12-slim AS base")
    drawn = draw(st.lists(instruction(), min_size=1, max_size=8))
    for index, (words, trailer) in enumerate(drawn):
        for _ in range(draw(st.integers(0, 2))):
            lines.append(
                draw(st.sampled_from(["", "# comment", "   ", "\t# tabbed comment", escape]))
            )
        is_last = index == len(drawn) - 1 and not trailer
        lines.extend(draw(layout(words, escape, is_last)))
        lines.extend(trailer)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


FUZZ_TOKENS = st.sampled_from(
    [
        "FROM", "RUN", "CMD", "ENTRYPOINT", "COPY", "ONBUILD", "SHELL", "HEALTHCHECK", "ENV",
        "cmd", "run", " ", "  ", "\t", "\\", "`", "\\\\", "#", "# ", "'", '"', "<<EOF",
        "<<-EOF", "<<'EOF'", '<<"E"', "3<<EOF", "EOF", "E", "\tEOF", "[", "]", '"a"', ",",
        '["x", "y"]', "[1]", "--mount=a", "--", "x=1", "$X", "${Y}", "\r", "é", "\xa0", "a",
    ]
)  # fmt: skip


@st.composite
def fuzzed_dockerfiles(draw: st.DrawFn) -> str:
    """Lines glued from Dockerfile-ish tokens: mostly nonsense, which is the point."""
    head = draw(st.sampled_from(["", "# escape=`\n", "# escape=\\\n", "\ufeff"]))
    lines = ["FROM a"]
    for _ in range(draw(st.integers(1, 10))):
        lines.append("".join(draw(st.lists(FUZZ_TOKENS, max_size=7))))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return head + newline.join(lines) + draw(st.sampled_from(["", newline]))


SEMANTIC_OPS = st.sampled_from(
    [
        'CMD ["app", "--flag"]', "CMD app $ARGV", 'CMD ["a",]', "CMD []",
        'ENTRYPOINT ["/init"]', "ENTRYPOINT exec /init", "ENTRYPOINT []", "ENTRYPOINT ['x']",
        'SHELL ["/bin/ash", "-c"]', 'SHELL ["/bin/sh", "-ec"]', "USER $NAME", "USER 1:${GID:-2}",
        "STOPSIGNAL SIGINT", "STOPSIGNAL ${SIG:-SIGTERM}", "ENV NAME=env SIG=SIGUSR1",
        "ARG NAME=arg", "ARG GID=9", 'ONBUILD CMD ["trigger"]', "ONBUILD ENTRYPOINT x",
        "ONBUILD USER onbuild", "ONBUILD STOPSIGNAL 3", 'ONBUILD SHELL ["/bin/ash", "-c"]',
    ]
)  # fmt: skip


@st.composite
def semantic_dockerfiles(draw: st.DrawFn, base: str) -> tuple[str, str | None]:
    """Stages FROM the base or an earlier stage, with the instructions that decide PID 1;
    returns the text and a --target (None: the last stage)."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(f"ARG BASE={base}")
        base = "$BASE"
    count = draw(st.integers(1, 3))
    for index in range(count):
        parent = draw(st.sampled_from([base, *(f"s{i}" for i in range(index))]))
        lines.append(f"FROM {parent} AS s{index}")
        lines.extend(draw(st.lists(SEMANTIC_OPS, max_size=5)))
    target = draw(st.sampled_from([None, *(f"s{i}" for i in range(count))]))
    return "\n".join(lines) + "\n", target
