"""Shell command lines, read as data: simple commands, the folder each runs in, Makefile recipes.

Build steps come as shell text from many places (a package.json script, a Mix ``cmd``, a
buildpack ``compile`` file, a Dockerfile ``RUN``, a Makefile recipe). This module splits such
text into simple commands (``&&``, ``||``, ``;``, ``|`` and new lines separate them), keeps the
variable assignments in front of a program (``NODE_ENV=production webpack``) and the
redirections after it, and follows ``cd``. It runs nothing; what it cannot read (a subshell, a
loop) is kept as one opaque command, so the caller can say so rather than guess.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from kubenative.project.config_files import normalize
from kubenative.project.reading import read_or_none

ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
OPERATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "|&"})
REDIRECTS = frozenset({">", ">>", "<", ">&", "<&", "&>", ">|", "&>>"})
# Words that open or close a compound command: its body is not a plain sequence of steps.
COMPOUND = frozenset({"if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done"})
COMPOUND |= frozenset({"case", "esac", "{", "}", "(", ")", "function"})


@dataclass(frozen=True)
class Command:
    """One simple command: ``words`` (the program first), the assignments before it, the text
    to run it as written, and the folder it runs in (relative to the project root)."""

    words: tuple[str, ...]
    assignments: tuple[str, ...]
    text: str
    cwd: str
    fallback: bool = False  # the right side of `||`: runs only when the left side fails

    @property
    def program(self) -> str:
        return self.words[0] if self.words else ""


def words(text: str) -> list[str]:
    """One command's words as the shell splits them; its plain whitespace-split words when
    its quotes do not close."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def split(text: str, cwd: str, variables: dict[str, str] | None = None) -> list[Command]:
    """The simple commands of ``text`` in order, each with the folder it runs in (``cd`` is
    followed; a ``cd`` to a folder that a variable names, when the variable is not known,
    leaves the folder as it was). ``variables`` replaces ``$NAME``/``${NAME}`` first."""
    result: list[Command] = []
    for line in _logical_lines(_substitute(text, variables or {})):
        tokens = _tokens(line)
        if tokens is None:
            result.append(Command(("sh",), (), line.strip(), cwd))
            continue
        current: list[str] = []
        fallback = False
        for token in [*tokens, ";"]:
            if token in OPERATORS:
                command = _command(current, cwd, fallback)
                if command is not None:
                    if command.program == "cd":
                        cwd = _cd(cwd, command.words)
                    else:
                        result.append(command)
                current = []
                fallback = token == "||"
                continue
            current.append(token)
    return result


def _substitute(text: str, variables: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", value, text)


def _logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined and comments dropped."""
    joined = re.sub(r"\\\r?\n", " ", text)
    lines = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(stripped)
    return lines


def _tokens(line: str) -> list[str] | None:
    lexer = shlex.shlex(line, posix=True, punctuation_chars="&|;<>()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote
        return None


def _command(tokens: list[str], cwd: str, fallback: bool) -> Command | None:
    if not tokens:
        return None
    assignments: list[str] = []
    words: list[str] = []
    shown: list[str] = []
    items = iter(tokens)
    for token in items:
        if token in REDIRECTS:
            target = shlex.quote(next(items, ""))
            operator = token
            if shown and shown[-1].isdigit() and words and words[-1] == shown[-1]:
                words.pop()
                operator = shown.pop() + token  # `2>&1`: the descriptor belongs to it
            shown.append(f"\0{operator}{'' if token.endswith('&') else ' '}{target}")
            continue
        if not words and ASSIGNMENT.match(token):
            assignments.append(token)
        else:
            words.append(token)
        shown.append(token)
    if words[:1] == ["env"]:  # `env NODE_ENV=production webpack`
        words = words[1:]
        while words and ASSIGNMENT.match(words[0]):
            assignments.append(words.pop(0))
    while words and words[0] in ("exec", "eval", "time", "command", "nohup"):
        words = words[1:]
    if not words:
        return None
    text = " ".join(t[1:] if t.startswith("\0") else shlex.quote(t) for t in shown)
    return Command(tuple(words), tuple(assignments), text, cwd, fallback)


# A variable that names a folder of the project by an absolute path (a buildpack's
# `$phoenix_dir`) is given its value with this prefix: the project root, wherever it is.
ROOT = "@root"


def resolve(cwd: str, target: str) -> str | None:
    """The folder ``target`` leads to from ``cwd``; None for one outside what kubenative can
    place (an absolute path, a variable it does not know, ``~``)."""
    if target == ROOT or target.startswith(ROOT + "/"):
        return normalize(".", target[len(ROOT) :].lstrip("/")) or "."
    if not target or target.startswith(("$", "~", "-", "/")):
        return None
    return normalize(cwd, target) or "."


def _cd(cwd: str, words: tuple[str, ...]) -> str:
    return resolve(cwd, words[1] if len(words) > 1 else "") or cwd


def compound(command: Command) -> bool:
    """A word of an `if`/`for`/`case` construct: its body runs conditionally or repeatedly."""
    return command.program in COMPOUND


def read_script(root: Path, rel: str) -> str | None:
    """The text of a shell script in the project, or None when it is not one."""
    path = root / rel
    if not path.is_file():
        return None
    text = read_or_none(path)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    if first.startswith("#!") and not re.search(r"\b(ba|da|z)?sh\b", first):
        return None  # a Node, Elixir or Python script: the interpreter is its tool
    return text


def make_recipe(root: Path, folder: str, target: str) -> list[str] | None:
    """The recipe lines of ``target`` in ``folder``'s Makefile (``@``/``-`` dropped), with
    its prerequisites' recipes first; None when there is no such target."""
    return _recipe(_make_rules(root, folder), target, set())


def make_targets(root: Path, folder: str = ".") -> dict[str, list[str]]:
    """Every target of ``folder``'s Makefile and its own recipe lines."""
    return {name: recipe for name, (_, recipe) in _make_rules(root, folder).items()}


def _make_rules(root: Path, folder: str) -> dict[str, tuple[list[str], list[str]]]:
    """Target → (prerequisites, recipe lines) of a Makefile; variables are not expanded."""
    path = root / folder / "Makefile"
    if not path.is_file():
        return {}
    source = read_or_none(path)
    if source is None:
        return {}
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] | None = None
    for line in source.splitlines():
        if line.startswith("\t") and current is not None:
            current.append(line.strip().lstrip("@-").strip())
            continue
        match = re.match(r"^([A-Za-z0-9_.\-/ ]+?)\s*::?(?!=)\s*([^=]*)$", line)
        if match and not line.startswith((" ", "\t")):
            current = []
            prerequisites = match.group(2).split("#", 1)[0].split(";", 1)[0].split()
            for name in match.group(1).split():
                if not name.startswith("."):
                    rules[name] = (prerequisites, current)
        elif line.strip():
            current = None
    return rules


def _recipe(
    rules: dict[str, tuple[list[str], list[str]]], target: str, seen: set[str]
) -> list[str] | None:
    if target not in rules or target in seen:
        return None
    seen.add(target)
    prerequisites, recipe = rules[target]
    result: list[str] = []
    for name in prerequisites:
        result.extend(_recipe(rules, name, seen) or [])
    return result + [line for line in recipe if line]
