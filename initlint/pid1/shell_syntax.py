"""The shape of a ``sh -c`` string, read with the same tree-sitter-bash reader as scripts.

The rules need the shape of a short script, not its meaning: its top-level list of commands
and how they are joined (``;``, ``&&``, ``||``, ``&``, newlines, pipes), the last simple
command with its exact offset (where ``exec `` would go), whether it is already ``exec``'d,
redirected or backgrounded, which ``trap``s are set, and whether the words are plain enough
to be written as an exec-form array. This module turns the tree of
:mod:`initlint.pid1.bash_syntax` into those facts, with character offsets. Anything the
grammar rejects, and what the verdict does not follow (heredocs, arithmetic commands,
``$'...'`` strings, coprocesses), makes :func:`parse_script` return ``None``, and the rules
then stay quiet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Union

from initlint.pid1.bash_syntax import BashTree, walk

if TYPE_CHECKING:
    from tree_sitter import Node

_REDIRECTS = frozenset({"<", ">", ">>", "<&", ">&", "<>", ">|", "&>", "&>>", "<<<"})
_RESERVED_OPENERS = frozenset(
    {"if", "case", "while", "until", "for", "select", "{", "function", "[[", "coproc"}
)
# Characters that make the shell do something to an unquoted word besides splitting it.
_SPECIAL_UNQUOTED = frozenset("*?[]{}~#!")


_WORD_ENDS = frozenset(" \t\r\n;&|()<>'\"`$\\")


class ShellSyntaxError(ValueError):
    """The script uses something this reader does not follow."""


class ShellWord(NamedTuple):
    raw: str  # as written
    start: int
    end: int
    value: str  # quotes removed (expansions left as written)
    quoted: bool = False
    expands: bool = False  # has $..., `...` (parameter, command or arithmetic expansion)
    special: bool = False  # unquoted glob, brace, tilde, backslash, history or comment char

    @property
    def is_literal(self) -> bool:
        """The shell would pass ``value`` through unchanged."""
        return not self.expands and not self.special


class SimpleCommand(NamedTuple):
    start: int
    end: int
    assignments: tuple[ShellWord, ...]
    words: tuple[ShellWord, ...]  # command name and arguments, redirections left out
    redirects: tuple[str, ...]  # the redirection operators, in order
    command_offset: int  # where the first word after the assignments starts

    @property
    def name(self) -> ShellWord | None:
        return self.words[0] if self.words else None


class CompoundCommand(NamedTuple):
    keyword: str  # "if", "{", "(", "case", "while", "function", ...
    start: int
    end: int
    inner: tuple[SimpleCommand, ...]  # every simple command inside, in order


AnyCommand = Union[SimpleCommand, CompoundCommand]


class Pipeline(NamedTuple):
    commands: tuple[AnyCommand, ...]
    negated: bool = False


class AndOr(NamedTuple):
    """Pipelines joined by ``&&``/``||``; ``separator`` is what ends it (``;``, ``&``, newline)."""

    pipelines: tuple[Pipeline, ...]
    connectors: tuple[str, ...]  # "&&" or "||", one fewer than pipelines
    separator: str | None
    end: int  # offset after the last pipeline (before the separator)


class Script(NamedTuple):
    text: str
    items: tuple[AndOr, ...]
    comments: bool  # the script has a comment

    @property
    def simple_commands(self) -> tuple[SimpleCommand, ...]:
        """Every simple command, nested ones included, in order."""
        found: list[SimpleCommand] = []
        for item in self.items:
            for pipeline in item.pipelines:
                for command in pipeline.commands:
                    if isinstance(command, SimpleCommand):
                        found.append(command)
                    else:
                        found.extend(command.inner)
        return tuple(found)

    @property
    def last_item(self) -> AndOr | None:
        return self.items[-1] if self.items else None


# --- reading the tree ---------------------------------------------------------------------

# Nodes the verdict does not follow: the whole string is then not judged.
_UNFOLLOWED = frozenset(
    {"heredoc_redirect", "ansi_c_string", "c_style_for_statement", "arithmetic_expansion_command"}
)
_COMPOUND_KEYWORDS = {
    "subshell": "(",
    "compound_statement": "{",
    "if_statement": "if",
    "case_statement": "case",
    "function_definition": "function",
    "test_command": "[[",
}
_SIMPLE = frozenset(
    {"command", "redirected_statement", "declaration_command", "unset_command",
     "variable_assignment", "variable_assignments"}
)  # fmt: skip
_EXPANSIONS = frozenset(
    {"simple_expansion", "expansion", "command_substitution", "arithmetic_expansion",
     "process_substitution", "$"}
)  # fmt: skip
_QUOTES = frozenset({"string", "raw_string", "translated_string"})


_Redirects = tuple["Node", ...]


def _lift(node: Node, extra: _Redirects) -> tuple[Node, _Redirects]:
    """tree-sitter-bash hangs ``a | b >f`` and ``a && b >f`` as a redirection around the
    whole pipeline or list; the shell gives it to the last command. The body, and the
    redirections to pass down to its last command."""
    while node.type == "redirected_statement":
        body = node.child_by_field_name("body")
        if body is None or body.type not in ("list", "pipeline", "negated_command"):
            break
        own = tuple(c for c in node.children if c != body and c.is_named)
        node, extra = body, own + extra
    return node, extra


class _Reader:
    def __init__(self, tree: BashTree) -> None:
        self.tree = tree

    def items(self, root: Node) -> list[AndOr]:
        statements = [c for c in root.children if c.is_named and c.type != "comment"]
        items: list[AndOr] = []
        for index, node in enumerate(statements):
            following = statements[index + 1] if index + 1 < len(statements) else None
            items.append(self.and_or(node, self._separator(node, following)))
        return items

    def _separator(self, node: Node, following: Node | None) -> str | None:
        after = node.next_sibling
        if after is not None and not after.is_named and after.type in (";", "&"):
            return after.type
        text = self.tree.text
        end = len(text) if following is None else self.tree.start(following)
        between = text[self.tree.end(node) : end].replace("\\\n", "")
        return "\n" if "\n" in between else None

    def and_or(self, node: Node, separator: str | None) -> AndOr:
        pipelines: list[Pipeline] = []
        connectors: list[str] = []
        self._flatten(node, pipelines, connectors, ())
        return AndOr(tuple(pipelines), tuple(connectors), separator, self.tree.end(node))

    def _flatten(
        self, node: Node, pipelines: list[Pipeline], connectors: list[str], extra: _Redirects
    ) -> None:
        node, extra = _lift(node, extra)
        if node.type != "list":
            pipelines.append(self.pipeline(node, extra))
            return
        named = [c for c in node.children if c.is_named]
        for child in node.children:
            if child.is_named:
                self._flatten(child, pipelines, connectors, extra if child == named[-1] else ())
            elif child.type in ("&&", "||"):
                connectors.append(child.type)
            else:
                raise ShellSyntaxError(f"unexpected {child.type!r}")

    def pipeline(self, node: Node, extra: _Redirects = ()) -> Pipeline:
        node, extra = _lift(node, extra)
        parts = [node] if node.type != "pipeline" else [c for c in node.children if c.is_named]
        negated = False
        if parts and parts[0].type == "negated_command":
            negated = True
            inner = [c for c in parts[0].children if c.is_named]
            if len(inner) != 1:
                raise ShellSyntaxError("!")
            body, inner_extra = _lift(inner[0], extra if len(parts) == 1 else ())
            if inner_extra and len(parts) > 1:
                raise ShellSyntaxError("!")
            if len(parts) == 1:
                extra = inner_extra
            parts[0] = body
            if body.type == "pipeline":
                parts[0:1] = [c for c in body.children if c.is_named]
        if any(part.type in ("pipeline", "list", "negated_command") for part in parts):
            raise ShellSyntaxError("nested pipeline")
        last = len(parts) - 1
        return Pipeline(
            tuple(self.command(part, extra if i == last else ()) for i, part in enumerate(parts)),
            negated,
        )

    def command(self, node: Node, extra: _Redirects = ()) -> AnyCommand:
        kind = node.type
        if kind == "redirected_statement":
            body = node.child_by_field_name("body")
            if body is not None and body.type not in ("command",):
                redirects = [c for c in node.children if c != body and c.is_named]
                if any(c.type not in ("file_redirect", "herestring_redirect") for c in redirects):
                    raise ShellSyntaxError(kind)
                compound = self.command(body)
                if isinstance(compound, SimpleCommand):
                    raise ShellSyntaxError(kind)
                end = max([self.tree.end(node), *(self.tree.end(r) for r in extra)])
                return CompoundCommand(compound.keyword, compound.start, end, compound.inner)
            return self.simple(node, extra)
        if extra:
            if kind in _SIMPLE:
                return self.simple(node, extra)
            compound = self.command(node)
            if isinstance(compound, SimpleCommand):
                raise ShellSyntaxError(kind)
            end = max([compound.end, *(self.tree.end(r) for r in extra)])
            return CompoundCommand(compound.keyword, compound.start, end, compound.inner)
        if kind in _SIMPLE:
            return self.simple(node)
        keyword = _COMPOUND_KEYWORDS.get(kind)
        if kind in ("while_statement", "for_statement"):
            keyword = node.children[0].type
        if keyword is None:
            raise ShellSyntaxError(kind)
        inner = tuple(self.simple(n) for n in walk(node) if n != node and _outermost(n))
        return CompoundCommand(keyword, self.tree.start(node), self.tree.end(node), inner)

    def simple(self, node: Node, extra: _Redirects = ()) -> SimpleCommand:
        tree = self.tree
        command: Node | None = node
        redirects: list[Node] = []
        if node.type == "redirected_statement":
            command = node.child_by_field_name("body")
            redirects = [c for c in node.children if c != command and c.is_named]
        redirects.extend(extra)
        assignments: list[ShellWord] = []
        words: list[ShellWord] = []
        operators: list[tuple[int, str]] = []
        if command is not None and command.type in ("variable_assignment", "variable_assignments"):
            pieces = [command] if command.type == "variable_assignment" else command.named_children
            assignments = [self._word(p, p, tree.source_text(p)) for p in pieces]
        elif command is not None and command.type in ("declaration_command", "unset_command"):
            keyword = command.children[0]
            words.append(self._word(keyword, keyword, tree.source_text(keyword)))
            for child in command.children[1:]:
                if child.is_named and child.type != "comment":
                    words.append(self._word(child, child, tree.word_value(child)))
        else:
            if command is not None:
                for child in command.children:
                    if child.type == "variable_assignment":
                        assignments.append(self._word(child, child, tree.source_text(child)))
            for first, last, value in tree.word_nodes(command, redirects):
                words.append(self._word(first, last, value))
        for holder in [*(command.children if command is not None else ()), *redirects]:
            if holder.type in ("file_redirect", "herestring_redirect"):
                operator = next((c for c in holder.children if not c.is_named), None)
                if operator is None or operator.type not in _REDIRECTS:
                    raise ShellSyntaxError("redirection")
                operators.append((tree.start(holder), operator.type))
        starts = [w.start for w in words] + [start for start, _ in operators]
        if assignments and starts and min(starts) < assignments[-1].start:
            raise ShellSyntaxError("assignment after a redirection")
        start = tree.start(node)
        return SimpleCommand(
            start=start,
            end=max([tree.end(node), *(tree.end(r) for r in extra)]),
            assignments=tuple(assignments),
            words=tuple(words),
            redirects=tuple(op for _, op in sorted(operators)),
            command_offset=min(starts) if starts else start,
        )

    def _word(self, first: Node, last: Node, value: str) -> ShellWord:
        tree = self.tree
        start, end = tree.start(first), tree.end(last)
        quoted = expands = special = False
        pieces = [first] if first == last else [first, last]
        for piece in pieces:
            for node in walk(piece):
                if node.type in _EXPANSIONS:
                    expands = True
                elif node.type in _QUOTES:
                    quoted = True
        special = _unquoted_special(tree.text[start:end])
        return ShellWord(tree.text[start:end], start, end, value, quoted, expands, special)


def _outermost(node: Node) -> bool:
    """A simple command not inside another (``A=1 cmd`` holds an assignment node)."""
    return node.type in _SIMPLE and (node.parent is None or node.parent.type not in _SIMPLE)


def _unquoted_special(raw: str) -> bool:
    """A backslash outside single quotes, or a glob, brace, tilde, ``!`` or ``#`` outside
    quotes (this reader's word is already split by the grammar; only its flags are read here)."""
    quote = ""
    for character in raw:
        if character == "\\" and quote != "'":
            return True
        if quote:
            if character == quote:
                quote = ""
        elif character in "'\"":
            quote = character
        elif character in _SPECIAL_UNQUOTED:
            return True
    return False


def _tree(text: str) -> BashTree:
    """The tree, read as bash reads brackets and braces. tree-sitter-bash takes ``[ -f x ]``
    as a test expression (bash runs the ``[`` builtin, a simple command), and the ``[[`` of
    ``[[x`` or ``[[[]]]`` and the ``{`` of ``{a,b}`` as keywords (bash runs a command of that
    name: ``[[`` and ``{`` are reserved only as whole words). Those characters are read as
    letters (same offsets), so the grammar sees plain words; their values come from the text."""
    tree = BashTree(text)
    characters = list(text)
    for _ in range(8):
        swaps: list[int] = []
        for node in walk(tree.root):
            if node.is_named or node.type not in ("[", "[[", "{"):
                continue
            if node.type == "{" and (node.parent is None or node.parent.type == "expansion"):
                continue
            start, end = tree.start(node), tree.end(node)
            if end < len(text) and text[end] not in " \t\n":  # glued: one plain word
                while end < len(text) and text[end] not in _WORD_ENDS:
                    end += 1
                swaps.extend(i for i in range(start, end) if text[i] in "[]{}")
            elif node.type == "[" and node.parent is not None:
                closing = node.parent.children[-1]
                swaps.append(start)
                if node.parent.type == "test_command" and closing.type == "]":
                    swaps.append(tree.start(closing))
        swaps = [i for i in swaps if characters[i] in "[]{}"]
        if not swaps:
            return tree
        for i in swaps:
            characters[i] = "a"
        tree = BashTree(text, "".join(characters))
    raise ShellSyntaxError("[")


def _misread(tree: BashTree, node: Node) -> bool:
    """Where tree-sitter-bash reads what bash does not: ``--x=1`` as an assignment (bash
    needs a name before ``=``), ``$ x`` as an expansion of ``x``, ``a `` b`` as one word."""
    if node.type == "variable_assignment":
        name = node.child_by_field_name("name")
        text = tree.source_text(name) if name is not None else ""
        return name is None or (name.type == "variable_name" and not _is_name(text))
    if node.type == "simple_expansion":
        return any(c in tree.source_text(node) for c in " \t\n")
    return node.type == "``"  # an empty backquote: the grammar glues the words around it


def _is_name(text: str) -> bool:
    return text.isidentifier() and text.isascii()


def parse_script(text: str) -> Script | None:
    """The script's structure, or None when it uses syntax this reader does not follow."""
    try:
        tree = _tree(text)
    except (ShellSyntaxError, UnicodeError):
        return None
    if tree.first_problem() is not None:
        return None
    comments = False
    for node in walk(tree.root):
        if node.type in _UNFOLLOWED:
            return None
        if node.type == "compound_statement" and node.children and node.children[0].type == "((":
            return None
        if node.type == "comment":
            comments = True
        if node.type == "command_name" and tree.source_text(node) == "coproc":
            return None
        if _misread(tree, node):
            return None
    try:
        items = _Reader(tree).items(tree.root)
    except ShellSyntaxError:
        return None
    return Script(text, tuple(items), comments)


def plain_words(text: str) -> tuple[str, ...] | None:
    """The words of ``text`` when it is one simple command that needs no shell at all.

    No variables, command substitution, globs, tildes, braces, backslashes, comments,
    operators (``;``, ``&&``, ``|``, redirections, ``&``), leading assignments or reserved
    words; quotes are fine when they only group words.
    """
    script = parse_script(text)
    if script is None or script.comments or len(script.items) != 1:
        return None
    item = script.items[0]
    if item.separator is not None or len(item.pipelines) != 1:
        return None
    pipeline = item.pipelines[0]
    if pipeline.negated or len(pipeline.commands) != 1:
        return None
    command = pipeline.commands[0]
    if not isinstance(command, SimpleCommand) or command.assignments or command.redirects:
        return None
    if not command.words or not all(word.is_literal for word in command.words):
        return None
    if command.words[0].raw in _RESERVED_OPENERS or command.words[0].raw in ("!", "}"):
        return None
    return tuple(word.value for word in command.words)
