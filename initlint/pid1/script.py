"""Entrypoint scripts read with a real shell parser (tree-sitter-bash): what the shell will do
at the end.

Why tree-sitter-bash: a complete bash grammar (``case``, ``[[ ]]``, arithmetic, heredocs,
functions, subshells) compiled to C, MIT licensed like initlint, with the exact range of every
node (turned into character offsets here: the ``exec`` and ``wait`` fixes edit at them). It
always returns a tree, recovering from what it cannot read with ERROR and MISSING nodes;
recovery may regroup everything after the error, so precision comes first: any such node makes
the whole script unknown (ScriptParseError), and the rules stay quiet about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, TypedDict

from initlint.knowledge.shells import BUILTINS, KEEP_ALIVE, trapped_signals
from initlint.model import Located, ScriptFacts, Span

SIGTERM = 15

if TYPE_CHECKING:
    from tree_sitter import Node

    from initlint.pid1.bash_syntax import BashTree

# Statements that are builtins by their syntax: never the program, never exec'd.
_BUILTIN_STATEMENTS = frozenset(
    {"declaration_command", "unset_command", "test_command", "variable_assignment",
     "variable_assignments"}
)  # fmt: skip
# Reserved words the grammar reads as a command name: `exec time app` would run another
# program (/usr/bin/time, if there is one) than the shell's `time`.
_RESERVED_PREFIXES = frozenset({"time", "coproc"})
# Nodes whose children are statements: there a `&` sends the statement before it to the
# background (elsewhere `&` is arithmetic, as in `$(( x & 1 ))`).
_STATEMENT_LISTS = frozenset(
    {"program", "compound_statement", "subshell", "do_group", "if_statement", "elif_clause",
     "else_clause", "case_item", "while_statement", "command_substitution",
     "process_substitution"}
)  # fmt: skip


def shebang_interpreter(text: str) -> str | None:
    """``sh``/``bash``/``python3``/``node``... from ``#!/bin/sh`` or ``#!/usr/bin/env -S node``."""
    if not text.startswith("#!"):
        return None
    words = text[2:].split("\n", 1)[0].split()
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if program == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        program = rest[0].rsplit("/", 1)[-1] if rest else ""
    return program or None


class ScriptParseError(ValueError):
    pass


def analyse_script(text: str, path: str, image_path: str, interpreter: str) -> ScriptFacts:
    """Facts about an entrypoint script; ScriptParseError when the parser cannot read it."""
    from initlint.pid1.bash_syntax import BashTree  # only scripts load the grammar

    # a CR is one character like the space that replaces it: offsets stay those of ``text``
    tree = BashTree(text.replace("\r", " "))
    problem = tree.first_problem()
    if problem is not None:
        where = f"{path}:{problem.line}:{problem.column}"
        raise ScriptParseError(f"{where}: {problem.what} (tree-sitter-bash)")
    seen = _Seen(tree, text, path)
    seen.collect()
    newline = "\r\n" if "\r\n" in text else "\n"
    statements = [n for n in tree.root.named_children if n.type != "comment"]
    end_offset = 0
    last: _Last | None = None
    if statements:
        final = statements[-1]
        terminator = final.next_sibling
        ends_with = terminator.type if terminator is not None else ""
        end_offset = tree.end(final)
        if terminator is not None and ends_with in (";", "&"):
            # `cat <<EOF;`: the `;` is on the first line, the statement ends after the body
            end_offset = max(end_offset, tree.end(terminator))
        if ends_with != "&":  # a backgrounded last statement is not what the shell waits on
            last = _last_command(tree, final, seen.functions)
        ending, pause = _ending(tree, final, ends_with, last, seen.functions)
    else:
        ending, pause = "builtin", None
    signals = seen.signal_facts(ending, pause)
    located = (
        None
        if last is None
        else Located(text[last.start : last.end], _span(tree, path, last.start, last.end))
    )
    return ScriptFacts(
        path=path,
        image_path=image_path,
        interpreter=interpreter,
        last_command=located,
        last_offset=None if last is None else last.name_offset,
        last_is_exec=last is not None and last.is_exec,
        last_is_simple=last is not None and last.is_simple,
        last_is_builtin=True if last is None else last.is_builtin,  # nothing runs the program
        last_words=() if last is None else last.program_words,
        passes_args=last is not None and last.passes_args,
        background_jobs=tuple(seen.background),
        waits=seen.waits,
        traps_term=seen.traps_term,
        trapped=seen.trapped,
        end_offset=end_offset,
        newline=newline,
        stops_jobs=seen.stops,
        **signals,
    )


# Commands a waiting loop may run besides ``sleep N``: none of them blocks.
_LOOP_BUILTINS = frozenset({":", "true", "false", "echo", "printf", "test", "[", "[["})


def _ending(
    tree: BashTree, final: Node, ends_with: str, last: _Last | None, functions: frozenset[str]
) -> tuple[str, float | None]:
    """What the shell is doing while the container runs: the kind of its final statement
    (see ScriptFacts.ending), and for a loop the longest ``sleep`` it waits in."""
    if ends_with == "&":
        return "background", None
    if last is not None:
        name = last.program_words[0].rsplit("/", 1)[-1] if last.program_words else ""
        if last.is_exec:
            return "exec", None
        if name == "wait":
            return "wait", None
        if name in functions:
            return "unknown", None
        if last.is_builtin and name not in KEEP_ALIVE:
            return "builtin", None
        return "foreground", None
    if final.type in ("while_statement", "until_statement"):
        return _loop(tree, final)
    return "unknown", None


def _loop(tree: BashTree, loop: Node) -> tuple[str, float | None]:
    """A loop that only sleeps (``while sleep 1; do :; done``): the shell runs its trap
    between two sleeps. Anything else in it could block: unknown."""
    from initlint.pid1.bash_syntax import walk

    pause = 0.0
    for node in walk(loop):
        if node.type in ("command_substitution", "process_substitution", "pipeline", "subshell"):
            return "unknown", None
        if node.type != "command":
            continue
        words = [value for _, value in tree.words(node, ())]
        if not words:
            continue
        if words[0] == "sleep" and len(words) == 2:
            try:
                seconds = float(words[1].rstrip("s"))
            except ValueError:
                return "unknown", None
            pause = max(pause, seconds)
        elif words[0] not in _LOOP_BUILTINS:
            return "unknown", None
    return "loop", pause


class _Last(NamedTuple):
    start: int  # the statement as written, redirections included, heredoc bodies not
    end: int
    name_offset: int  # where ``exec`` goes: the command's first word
    is_exec: bool
    is_simple: bool
    is_builtin: bool
    program_words: tuple[str, ...]
    passes_args: bool


def _last_command(
    tree: BashTree,
    node: Node,
    functions: frozenset[str],
    redirects: tuple[Node, ...] = (),
    end: int | None = None,
) -> _Last | None:
    """The command the script runs last, when its last top-level statement is (or ends in)
    one: a simple command, possibly redirected, or the end of an ``&&`` list. ``redirects``
    and ``end``: those of a redirected statement around it (tree-sitter-bash puts the
    ``2>&1`` of ``a && b 2>&1`` around the list, where bash gives it to ``b``)."""
    if node.type == "redirected_statement":
        if not _plain_redirections(node):
            return None
        if end is None:
            end = _end_before_heredoc_bodies(tree, node)
        redirects = (*node.children_by_field_name("redirect"), *redirects)
        body = node.child_by_field_name("body")
        if body is None:  # `2>&1 >/log cmd`: the grammar leaves the words in the redirections
            return _simple_command(tree, None, redirects, tree.start(node), end, functions)
        return _last_command(tree, body, functions, redirects, end)
    if node.type == "list":
        items = _flatten_list(node)
        operators = {item.type for item in items[1::2]}
        if not operators <= {"&&"} or items[-1].type == "list":
            return None
        return _last_command(tree, items[-1], functions, redirects, end)
    start = tree.start(node)
    if end is None:
        end = tree.end(node)
    if node.type in _BUILTIN_STATEMENTS:
        return _Last(start, end, start, False, False, True, (), False)
    if node.type != "command":
        return None
    return _simple_command(tree, node, redirects, start, end, functions)


def _simple_command(
    tree: BashTree,
    command: Node | None,
    redirects: tuple[Node, ...],
    start: int,
    end: int,
    functions: frozenset[str],
) -> _Last | None:
    words = tree.words(command, redirects)
    if not words:  # only assignments or redirections: nothing runs
        return _Last(start, end, start, False, False, True, (), False)
    values = [value for _, value in words]
    if values[0] in _RESERVED_PREFIXES:
        return None
    is_exec = values[0] == "exec"
    program_words = tuple(values[1:] if is_exec else values)
    name = program_words[0].rsplit("/", 1)[-1] if program_words else ""
    # a function of the script is shell code, not a program: `exec` would not find it
    is_builtin = not program_words or name in BUILTINS or name in KEEP_ALIVE or name in functions
    return _Last(
        start=start,
        end=end,
        name_offset=tree.start(words[0][0]),
        is_exec=is_exec,
        is_simple=True,
        is_builtin=is_builtin,
        program_words=program_words,
        passes_args=any("$@" in value or "$*" in value for value in values),
    )


def _flatten_list(node: Node) -> list[Node]:
    """``a && b || c`` (nested to the left by the grammar) as [a, &&, b, ||, c]."""
    items: list[Node] = []
    for child in node.children:
        if child.type == "list":
            items.extend(_flatten_list(child))
        elif child.type != "comment":
            items.append(child)
    return items


def _plain_redirections(node: Node) -> bool:
    """Redirections only: no pipeline or list hidden on a heredoc's first line."""
    for redirect in node.children_by_field_name("redirect"):
        if redirect.type == "heredoc_redirect":
            allowed = {"heredoc_start", "heredoc_body", "heredoc_end", "file_redirect"}
            if any(child.type not in allowed for child in redirect.named_children):
                return False
    return True


def _end_before_heredoc_bodies(tree: BashTree, node: Node) -> int:
    """The end of the statement's first line(s): a heredoc's body is not part of the command
    a message quotes (the body and its terminator still count for ``end_offset``)."""
    end = node.start_byte
    for child in node.children if node.type == "redirected_statement" else [node]:
        if child.type != "heredoc_redirect":
            end = max(end, child.end_byte)
            continue
        for part in child.children:
            if part.type in ("heredoc_body", "heredoc_end"):
                break
            end = max(end, part.end_byte)
    return tree.offset(end)


class _Seen:
    """Background jobs, ``wait``, ``trap ... TERM`` and function names anywhere in the script."""

    def __init__(self, tree: BashTree, text: str, path: str) -> None:
        self.tree = tree
        self.text = text
        self.path = path
        self.background: list[Located] = []
        self.waits = False
        self.stops = False
        self.trapped: frozenset[int] = frozenset()
        self.functions: frozenset[str] = frozenset()
        # the TERM disposition the script leaves in place (a later trap replaces an earlier)
        self.term: str = "default"  # default | handler | ignored
        self.handler = ""

    def signal_facts(self, ending: str, pause: float | None) -> _SignalFacts:
        """The ScriptFacts fields about SIGTERM."""
        exits = waits = forwards_with_jobs = False
        if self.term == "handler":
            exits, waits, forwards_with_jobs = _handler_facts(self.handler)
        return _SignalFacts(
            {
                "term_handler": self.term == "handler",
                "term_ignored": self.term == "ignored",
                "handler_exits": exits,
                "handler_waits": waits,
                "handler_forwards_with_jobs": forwards_with_jobs,
                "ending": ending,
                "loop_pause": pause,
            }
        )

    @property
    def traps_term(self) -> bool:
        return SIGTERM in self.trapped

    def collect(self) -> None:
        from initlint.pid1.bash_syntax import walk

        functions: set[str] = set()
        for node in walk(self.tree.root):  # document order: an outer job before inner ones
            kind = node.type
            if kind == "command":
                parent = node.parent
                if parent is not None and parent.type == "redirected_statement":
                    self._command(node, _redirects(parent))
                else:
                    self._command(node, ())
            elif kind == "redirected_statement" and node.child_by_field_name("body") is None:
                self._command(None, _redirects(node))
            elif kind == "function_definition":
                name = node.child_by_field_name("name")
                if name is not None:
                    functions.add(self.tree.source_text(name))
            following = node.next_sibling
            if following is not None and following.type == "&" and node.is_named:
                parent = node.parent
                if parent is not None and parent.type in _STATEMENT_LISTS:
                    self._background(node, following)
        self.functions = frozenset(functions)

    def _command(self, node: Node | None, redirects: tuple[Node, ...]) -> None:
        words = [value for _, value in self.tree.words(node, redirects)]
        if words and words[0] == "wait":
            self.waits = True
        if words and (stops_a_server(words) or _execs_an_init(words)):
            self.stops = True
        trapped = trapped_signals(words)
        if trapped is not None:
            self.trapped |= trapped
        if len(words) >= 3 and words[0] == "trap":
            signals = {w.upper().removeprefix("SIG") for w in words[2:]}
            if "TERM" in signals or "15" in signals:
                handler = words[1]
                self.term = "default" if handler == "-" else "ignored" if not handler else "handler"
                self.handler = handler

    def _background(self, job: Node, ampersand: Node) -> None:
        start, end = self.tree.start(job), self.tree.end(ampersand)
        text = self.text[start:end]
        self.background.append(Located(text, _span(self.tree, self.path, start, end)))


def stops_a_server(words: list[str]) -> bool:
    """``kill "$pid"``, ``mysqladmin shutdown``, ``pg_ctl -w stop``, ``mongod --shutdown``,
    ``redis-cli shutdown``: a command that stops a process the script started."""
    name = words[0].rsplit("/", 1)[-1]
    rest = words[1:]
    if name == "kill":
        return any(not word.startswith("-") for word in rest)
    if name in ("mysqladmin", "mariadb-admin", "redis-cli", "rabbitmqctl"):
        return "shutdown" in rest or "stop" in rest
    if name in ("pg_ctl", "pg_ctlcluster"):
        return "stop" in rest
    if name in ("mongod", "mongos"):
        return "--shutdown" in rest
    return False


def _execs_an_init(words: list[str]) -> bool:
    """``exec /usr/sbin/init``, ``exec supervisord``: an init takes over PID 1, reaps what the
    script left running and stops it on shutdown."""
    from initlint.knowledge.programs import Role, lookup

    if words[0] != "exec" or len(words) < 2:
        return False
    program = lookup(words[1])
    return program is not None and program.role in (Role.INIT, Role.SUPERVISOR)


class _SignalFacts(TypedDict):
    term_handler: bool
    term_ignored: bool
    handler_exits: bool
    handler_waits: bool
    handler_forwards_with_jobs: bool
    ending: str
    loop_pause: float | None


def _handler_facts(handler: str) -> tuple[bool, bool, bool]:
    """Whether a trap's code runs ``exit``, runs ``wait``, and ``kill``s ``$(jobs -p)``
    (which dash runs in a subshell that has no jobs: it forwards to nobody)."""
    from initlint.pid1.bash_syntax import BashTree, walk

    tree = BashTree(handler)
    if tree.first_problem() is not None:
        return False, False, False
    exits = waits = forwards_with_jobs = False
    for node in walk(tree.root):
        if node.type != "command":
            continue
        words = [value for _, value in tree.words(node, ())]
        name = words[0] if words else ""
        exits = exits or name == "exit"
        waits = waits or name == "wait"
        if name == "kill":
            for inner in walk(node):
                if inner.type == "command_substitution":
                    commands = [n for n in walk(inner) if n.type == "command"]
                    names = {tree.words(c, ())[0][1] for c in commands if tree.words(c, ())}
                    forwards_with_jobs = forwards_with_jobs or "jobs" in names
    return exits, waits, forwards_with_jobs


def _redirects(statement: Node) -> tuple[Node, ...]:
    return tuple(statement.children_by_field_name("redirect"))


def _span(tree: BashTree, path: str, start: int, end: int) -> Span:
    line, column = tree.position(start)
    end_line, end_column = tree.position(end)
    return Span(path, line, column, end_line, end_column)


def script_span(facts: ScriptFacts, text: str) -> Span:
    """The span of the script's last command (or its first line when there is none)."""
    if facts.last_command is not None:
        return facts.last_command.span
    return Span(facts.path, 1, 1, 1, len(text.split("\n", 1)[0]) + 1)
