"""The source readers survive CPython 3.11's thread-shared AST depth (tests/pysource.py)."""

import ast

import pytest

from tests import pysource


def _failing_first(times: int, message: str):
    real, calls = ast.parse, []

    def parse(source, filename="<unknown>"):
        calls.append(filename)
        if len(calls) <= times:
            raise SystemError(message)
        return real(source, filename=filename)

    return parse, calls


def test_a_spurious_recursion_depth_mismatch_is_parsed_again(monkeypatch):
    parse, calls = _failing_first(
        2, "AST constructor recursion depth mismatch (before=144, after=54)"
    )
    monkeypatch.setattr(pysource.ast, "parse", parse)
    tree = pysource.parse_source("x = 1")
    assert isinstance(tree.body[0], ast.Assign) and len(calls) == 3


def test_another_system_error_is_not_hidden(monkeypatch):
    parse, calls = _failing_first(1, "something else")
    monkeypatch.setattr(pysource.ast, "parse", parse)
    with pytest.raises(SystemError, match="something else"):
        pysource.parse_source("x = 1")
    assert len(calls) == 1


def test_a_mismatch_every_time_is_raised_in_the_end(monkeypatch):
    parse, calls = _failing_first(99, "AST constructor recursion depth mismatch")
    monkeypatch.setattr(pysource.ast, "parse", parse)
    with pytest.raises(SystemError):
        pysource.parse_source("x = 1")
    assert len(calls) == pysource.ATTEMPTS
