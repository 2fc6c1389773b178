"""Split a shell command line into the simple commands it runs, with the folder each runs in.

Enough of POSIX sh for build steps: ``&&``, ``||``, ``;``, ``|``, ``&``, newlines, subshells
``( ... )`` (a ``cd`` inside one does not leak out), ``cd``, variable assignments before a
command, redirections, ``sh -c '...'``, and the words that run the next word (``env``, ``exec``,
``time``, ``sudo``, ``nohup``, ``command`` without ``-v``). Control keywords (``if``, ``then``,
``do``...) are skipped so the command after them is seen.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass

_SEPARATORS = {"&&", "||", ";", "|", "&", ";;", "|&"}
_REDIRECTS = re.compile(r"^\d*(>>?|<<?|>&|<&|&>>?)$")
_KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}"}
_RUNS_NEXT = {"env", "exec", "time", "sudo", "nohup", "nice", "xargs"}
_SHELLS = {"sh", "bash", "dash", "ash", "zsh"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    cwd: str

    @property
    def program(self) -> str:
        return posixpath.basename(self.argv[0]) if self.argv else ""


def _tokens(script: str) -> list[str]:
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars="();<>|&")
    lexer.whitespace = " \t\r"  # newlines separate commands: keep them as tokens
    lexer.wordchars += "~-./$:=+%@,{}[]*?!#^"
    lexer.commenters = ""
    out: list[str] = []
    try:
        for token in lexer:
            out.append(token)
    except ValueError:  # an unbalanced quote: fall back to whitespace words
        return script.replace("\n", " ; ").split()
    return out


def commands(script: str, cwd: str) -> list[Command]:
    """The simple commands of ``script`` in order; ``cwd`` is where the script starts."""
    found: list[Command] = []
    stack: list[str] = []
    current: list[str] = []
    here = cwd
    skip_next = False

    def flush() -> None:
        nonlocal here
        words = list(current)
        current.clear()
        here = _simple(words, here, found)

    for token in _tokens(script.replace("\n", " \n ")):
        if skip_next:
            skip_next = False
            continue
        if token == "\n" or token in _SEPARATORS:
            flush()
            continue
        if token == "(":
            flush()
            stack.append(here)
            continue
        if token == ")":
            flush()
            if stack:
                here = stack.pop()
            continue
        if _REDIRECTS.match(token) or token in (">", "<", ">>", "<<"):
            skip_next = token not in (">&", "<&")  # the file name after it is not a word
            continue
        if token.startswith("#") and not current:
            break
        current.append(token)
    flush()
    return found


def _simple(words: list[str], cwd: str, found: list[Command]) -> str:
    """Record the command in ``words`` (if any); return the folder after it (``cd``)."""
    while words and (words[0] in _KEYWORDS or _ASSIGNMENT.match(words[0])):
        words = words[1:]
    if not words:
        return cwd
    if words[0] in ("for", "case", "function") or words[0].endswith("()"):
        return cwd
    program = posixpath.basename(words[0])
    if program == "cd":
        target = next((w for w in words[1:] if not w.startswith("-")), None)
        if target is None or "$" in target:
            return cwd if target is None else "?"
        return normalize(target if target.startswith("/") else posixpath.join(cwd, target))
    if program in _RUNS_NEXT:
        rest = words[1:]
        while rest and (rest[0].startswith("-") or _ASSIGNMENT.match(rest[0])):
            rest = rest[1:]
        return _simple(rest, cwd, found) if rest else cwd
    if program == "command":
        if len(words) > 1 and words[1] in ("-v", "-V"):
            return cwd  # looks a program up, runs nothing
        return _simple(words[1:], cwd, found)
    if program in _SHELLS and "-c" in words:
        index = words.index("-c")
        if index + 1 < len(words):
            for command in commands(words[index + 1], cwd):
                found.append(command)
            return cwd
    found.append(Command(tuple(words), cwd))
    return cwd


def normalize(path: str) -> str:
    """Fold ``.`` and ``..``; keeps a leading ``..`` of a relative path (it leaves the root)."""
    absolute = path.startswith("/")
    parts: list[str] = []
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == ".." and parts and parts[-1] != "..":
            parts.pop()
        elif piece == ".." and absolute:
            continue
        else:
            parts.append(piece)
    joined = "/".join(parts)
    return ("/" + joined) if absolute else (joined or ".")
