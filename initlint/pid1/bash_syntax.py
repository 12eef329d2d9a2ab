"""A shell script as a tree-sitter-bash syntax tree, with character offsets and word values.

tree-sitter works on UTF-8 bytes; the fixes edit text, so every position handed out here is
a character offset into the script as read. tree-sitter is imported on the first parse only:
a run that never meets an entrypoint script does not load the grammar.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

_parser: Parser | None = None

# Children of a command (or of the redirected statement around it) that are not its words.
_NOT_WORDS = frozenset(
    {"file_redirect", "heredoc_redirect", "herestring_redirect", "variable_assignment", "comment"}
)
# Words bash reads as reserved where a command's name goes (tree-sitter-bash takes them as
# names when they are out of place); `time`, `!` and `[[` are handled where they are read.
_RESERVED = frozenset(
    {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
     "select", "function", "{", "}", "coproc"}
)  # fmt: skip
_CASE_TERMINATORS = frozenset({";;", ";&", ";;&"})
# What a backslash keeps inside double quotes (elsewhere it quotes any character).
_ESCAPABLE_IN_DOUBLE_QUOTES = frozenset('$`"\\\n')
_ANSI_C = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
           "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}  # fmt: skip


def _bash_parser() -> Parser:
    global _parser
    if _parser is None:
        from tree_sitter import Language, Parser

        _parser = Parser(Language(_bash_grammar()))
    return _parser


def _bash_grammar() -> object:
    """tree-sitter-bash's compiled grammar. Its package ``__init__`` imports
    importlib.resources for a highlighting query initlint never reads, which costs about
    20 ms of CPU (of the 50 ms evidence budget per Dockerfile) when nothing else has imported
    it; so the compiled module is loaded on its own when it is where the wheels put it."""
    import importlib.machinery
    import importlib.util
    import os

    name = "tree_sitter_bash._binding"
    package = importlib.util.find_spec("tree_sitter_bash")  # finds, does not import
    for folder in (package.submodule_search_locations or []) if package else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_binding" + suffix)
            if not os.path.isfile(path):
                continue
            loader = importlib.machinery.ExtensionFileLoader(name, path)
            spec = importlib.util.spec_from_file_location(name, path, loader=loader)
            if spec is None:
                continue
            binding = importlib.util.module_from_spec(spec)
            loader.exec_module(binding)
            language: object = binding.language()
            return language
    import tree_sitter_bash  # another layout: the package's own way

    return tree_sitter_bash.language()


class SyntaxProblem(NamedTuple):
    line: int
    column: int
    what: str  # "syntax error" or "missing `fi`"


class BashTree:
    """A parsed script: its tree and how to turn the tree's byte offsets into characters."""

    def __init__(self, text: str, parsed: str | None = None) -> None:
        """``parsed``, when given, is what the grammar reads instead of ``text``: the same
        text with some ASCII characters swapped for others (offsets and values stay ``text``'s)."""
        self.text = text
        self.source = text.encode("utf-8", "surrogatepass")
        read = self.source if parsed is None else parsed.encode("utf-8", "surrogatepass")
        self.root: Node = _bash_parser().parse(read).root_node
        # None when every character is one byte (ASCII): offsets need no translation
        self._char_starts: list[int] | None = None
        if len(self.source) != len(text):
            starts, position = [], 0
            for character in text:
                starts.append(position)
                position += len(character.encode("utf-8", "surrogatepass"))
            self._char_starts = starts
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(self, byte: int) -> int:
        """The character offset of a byte offset tree-sitter reported."""
        if self._char_starts is None:
            return byte
        return bisect.bisect_left(self._char_starts, byte)

    def start(self, node: Node) -> int:
        return self.offset(node.start_byte)

    def end(self, node: Node) -> int:
        return self.offset(node.end_byte)

    def source_text(self, node: Node) -> str:
        return self._slice(node.start_byte, node.end_byte)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def first_problem(self) -> SyntaxProblem | None:
        """Where the grammar gave up (an ERROR node) or had to invent a token (MISSING), or
        accepted what bash rejects: a reserved word where a command's name goes (``fi``,
        ``done`` or ``}`` out of place), ``;;`` outside ``case``, or ``cmd(...)``."""
        for node in walk(self.root):
            if node.type == "ERROR" or node.is_missing:
                what = f"missing `{node.type}`" if node.is_missing else "syntax error"
            elif node.type == "command_name" and self._reserved_in_command_position(node):
                what = "a reserved word out of place"
            elif node.type in _CASE_TERMINATORS and not node.is_named:
                if node.parent is None or node.parent.type == "case_item":
                    continue
                what = f"`{node.type}` outside case"
            elif node.type in ("subshell", "compound_statement"):
                if node.parent is None or node.parent.type != "command":
                    continue
                what = "syntax error"
            else:
                continue
            return SyntaxProblem(*self.position(self.start(node)), what)
        return None

    def _reserved_in_command_position(self, name: Node) -> bool:
        """``fi``/``done``/``}`` where bash reads a reserved word: first in the command (an
        assignment or redirection before it makes it a plain word), or after ``time``."""
        if name.prev_sibling is not None:
            return False
        first = self.source_text(name).split(maxsplit=1)
        if first and first[0] == "time":
            following = name.next_named_sibling
            first = self.source_text(following).split(maxsplit=1) if following else []
        return bool(first) and first[0] in _RESERVED

    def words(self, command: Node | None, redirects: Sequence[Node] = ()) -> list[tuple[Node, str]]:
        """See :meth:`word_nodes`; each word with its first node."""
        return [(first, value) for first, _, value in self.word_nodes(command, redirects)]

    def word_nodes(
        self, command: Node | None, redirects: Sequence[Node] = ()
    ) -> list[tuple[Node, Node, str]]:
        """A command's words (name first) as the shell splits them before expansion, each
        with its first and last node and its value after quote removal; assignments and redirections
        are left out. tree-sitter-bash files the words after a redirection's target under
        the redirection (``cmd >log arg``, or a whole ``2>&1 >log cmd`` without a command
        node), so ``redirects`` (those of the statement around the command) give them back."""
        pieces: list[Node] = []
        glued_end = -1  # text right after a redirection or assignment is still part of it
        for child in [*(command.children if command is not None else ()), *redirects]:
            if child.type in _NOT_WORDS:
                if child.type == "file_redirect":
                    pieces.extend(_after_target(child))
                glued_end = child.end_byte
                continue
            if child.start_byte == glued_end:  # `2>&1`x`` is one word to bash
                glued_end = child.end_byte
                continue
            if child.is_named or child.type == "$":
                pieces.append(child)
        words: list[tuple[Node, Node, str]] = []
        previous_end = -1
        for index, piece in enumerate(pieces):
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            value = "" if _translation_mark(piece, following) else self.word_value(piece)
            if words and piece.start_byte == previous_end:  # `$"..."`: one word, two nodes
                words[-1] = (words[-1][0], piece, words[-1][2] + value)
            else:
                words.append((piece, piece, value))
            previous_end = piece.end_byte
        return words

    def word_value(self, node: Node) -> str:
        """The word after quote removal; expansions stay as written (``"$@"`` is ``$@``)."""
        kind = node.type
        if kind in ("command_name", "concatenation"):
            return "".join(self._joined(node))
        if kind == "raw_string":
            return self.source_text(node)[1:-1]
        if kind == "ansi_c_string":
            return _ansi_c(self.source_text(node)[2:-1])
        if kind == "string":
            return "".join(self._in_double_quotes(node))
        if kind == "word":
            return _unescape(self.source_text(node), None)
        return self.source_text(node)  # expansions, substitutions, numbers: as written

    def _joined(self, node: Node) -> Iterator[str]:
        position = node.start_byte
        children = node.children
        for index, child in enumerate(children):
            if child.start_byte > position:  # text the grammar gave no node
                yield self._slice(position, child.start_byte)
            following = children[index + 1] if index + 1 < len(children) else None
            if not _translation_mark(child, following):
                yield self.word_value(child)
            position = child.end_byte
        if node.end_byte > position:
            yield self._slice(position, node.end_byte)

    def _in_double_quotes(self, node: Node) -> Iterator[str]:
        """Inside ``"..."``: escapes removed from the literal text, expansions as written."""
        position = node.start_byte + 1
        for child in node.children[1:-1]:
            if child.start_byte > position:
                yield _unescape_in_double_quotes(self._slice(position, child.start_byte))
            if child.type == "string_content":
                yield _unescape_in_double_quotes(self.source_text(child))
            else:
                yield self.source_text(child)
            position = child.end_byte
        if node.end_byte - 1 > position:
            yield _unescape_in_double_quotes(self._slice(position, node.end_byte - 1))

    def _slice(self, start: int, end: int) -> str:
        """The text between two byte offsets (sliced as text: a node boundary tree-sitter
        puts inside an undecodable sequence cannot break a character)."""
        return self.text[self.offset(start) : self.offset(end)]


def walk(node: Node) -> Iterator[Node]:
    """Every node below ``node`` (itself included), in document order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _after_target(redirect: Node) -> list[Node]:
    """The nodes of a file redirection after its target word (which may be several nodes
    with nothing between them, as in ``>&1`date```)."""
    targets = [c for c in redirect.named_children if c.type != "file_descriptor"]
    for index in range(1, len(targets)):
        if targets[index].start_byte != targets[index - 1].end_byte:
            return targets[index:]
    return []


def _translation_mark(node: Node, following: Node | None) -> bool:
    """The ``$`` of ``$"..."`` (a string for translation: the shell drops the ``$``)."""
    return (
        node.type == "$"
        and following is not None
        and following.type == "string"
        and following.start_byte == node.end_byte
    )


def _unescape_in_double_quotes(text: str) -> str:
    return _unescape(text, _ESCAPABLE_IN_DOUBLE_QUOTES)


def _unescape(text: str, escapable: frozenset[str] | None) -> str:
    """Backslash quoting removed: any character outside quotes (``escapable`` None), only
    ``escapable`` ones inside double quotes; backslash-newline joins lines."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        character = text[i]
        if character == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following == "\n":
                i += 2
                continue
            if escapable is None or following in escapable:
                out.append(following)
                i += 2
                continue
        out.append(character)
        i += 1
    return "".join(out)


def _ansi_c(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in _ANSI_C:
            out.append(_ANSI_C[body[i + 1]])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)
