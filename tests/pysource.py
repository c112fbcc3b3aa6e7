"""Parsing the project's own Python for the tests that read its source.

CPython 3.11 keeps the AST builder's recursion depth per interpreter, not per thread, so an
`ast.parse` racing another thread's (the live server's traceback printer calls it for its
carets) raises a spurious SystemError (python/cpython#106905); the parse is simply repeated.
"""

import ast
from pathlib import Path

ATTEMPTS = 5


def parse_source(source: str, filename: str = "<unknown>") -> ast.Module:
    for attempt in range(ATTEMPTS):
        try:
            return ast.parse(source, filename=filename)
        except SystemError as error:
            if "recursion depth mismatch" not in str(error) or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def parse_file(path: Path) -> ast.Module:
    return parse_source(path.read_text(encoding="utf-8"), filename=str(path))
