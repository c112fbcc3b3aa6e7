"""docs/rules.md defines every rule id the project cites, and the project stands alone (E1).

A test named `test_n4_...`, a test docstring naming "S5", or a `rule="U3"` in the code (also
`"rule": "U3"` and `exc.rule == "U3"` in tests) must find its id defined in docs/rules.md.
"""

import ast
import re
from pathlib import Path

from tests.pysource import parse_file, parse_source

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
SKIPPED_DIRS = {".venv", ".git", "var", "staticfiles", "node_modules", "__pycache__"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".cfg", ".ini", ".css", ".js", ".json"}

DEFINITION = re.compile(r"^- \*\*([A-Z][0-9]{1,2})\*\* ", re.MULTILINE)
# The rule families: a new one is added here and in docs/rules.md. Other letter-digit words
# in a test's name (the API's v1, an HTML h1) are not rule ids.
FAMILIES = "SUNFDMBPAGXE"
# An id as a whole word of a test's name: test_n4_..., test_d1_d2_d3_..., ..._b1.
NAME_ID = re.compile(rf"(?:^|_)([{FAMILIES.lower()}][0-9]{{1,2}})(?=_|$)")
DOC_ID = re.compile(rf"\b([{FAMILIES}][0-9]{{1,2}})\b")


def defined_ids() -> list[str]:
    return DEFINITION.findall(RULES.read_text(encoding="utf-8"))


def project_files(suffixes=TEXT_SUFFIXES, names=("Makefile",)):
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS for part in relative.parts[:-1]):
            continue
        if path.is_file() and (path.suffix in suffixes or path.name in names):
            yield path


def python_trees(under: Path | None = None):
    for path in project_files({".py"}, names=()):
        if under is None or under in path.parents:
            yield path, parse_file(path)


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def cited_rule_values(tree) -> list[tuple[int, str]]:
    """`rule="X"` arguments, `"rule": "X"` entries and `.rule == "X"` / `["rule"] == "X"`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "rule" and _string(node.value):
            found.append((node.value.lineno, node.value.value))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None and _string(key) == "rule" and _string(value):
                    found.append((value.lineno, value.value))
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1:
            left, right = node.left, node.comparators[0]
            names_rule = (isinstance(left, ast.Attribute) and left.attr == "rule") or (
                isinstance(left, ast.Subscript) and _string(left.slice) == "rule"
            )
            if names_rule and _string(right):
                found.append((right.lineno, right.value))
    return found


def cited_by_tests() -> dict[str, list[str]]:
    """Every id a test's name or a docstring under tests/ cites, with where."""
    cited: dict[str, list[str]] = {}
    for path, tree in python_trees(ROOT / "tests"):
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                for rule in NAME_ID.findall(node.name):
                    cited.setdefault(rule.upper(), []).append(f"{where}::{node.name}")
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                for rule in DOC_ID.findall(ast.get_docstring(node) or ""):
                    cited.setdefault(rule, []).append(f"{where} (docstring)")
    return cited


def test_every_rule_is_defined_once():
    ids = defined_ids()
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    families = {
        "S": 7, "U": 5, "N": 10, "F": 3, "D": 4, "M": 6,
        "B": 3, "P": 5, "A": 4, "G": 3, "X": 2, "E": 3,
    }  # fmt: skip
    expected = {f"{family}{n}" for family, count in families.items() for n in range(1, count + 1)}
    assert set(ids) == expected


def test_every_id_a_test_cites_is_defined_in_docs_rules():
    defined = set(defined_ids())
    cited = cited_by_tests()
    assert {"N4", "S5", "B1", "D3"} <= set(cited)  # the scan finds what is there
    undefined = {rule: where for rule, where in cited.items() if rule not in defined}
    assert not undefined, f"cited but not defined in docs/rules.md: {undefined}"


def test_every_rule_the_code_raises_with_is_defined_in_docs_rules():
    defined = set(defined_ids())
    cited = [
        (f"{path.relative_to(ROOT)}:{line}", rule)
        for path, tree in python_trees()
        for line, rule in cited_rule_values(tree)
    ]
    assert any(rule == "U3" for _, rule in cited)  # accounts' sign-in throttling is found
    undefined = [(where, rule) for where, rule in cited if rule not in defined]
    assert not undefined, f"rule= values not defined in docs/rules.md: {undefined}"


def test_the_rule_scans_catch_an_undefined_id():
    """The checks above can fail: an id outside docs/rules.md is reported."""
    tree = parse_source(
        'raise Refused(M, rule="Q9")\nassert body["rule"] == "Z1"\nx = {"rule": "N11"}'
    )
    assert sorted(rule for _, rule in cited_rule_values(tree)) == ["N11", "Q9", "Z1"]
    assert NAME_ID.findall("test_n11_and_s9_for_v1_and_b1") == ["n11", "s9", "b1"]
    assert not {"N11", "S9", "Q9", "Z1"} & set(defined_ids())


# A relative path made only of parent steps and names, as a document or script would write it.
RELATIVE_PATH = re.compile(r"(?<![\w./])((?:\.\./)+[\w.-]+(?:/[\w.-]+)*)")


def paths_leaving_the_project(path: Path) -> list[str]:
    """The relative paths in a file that climb above the project's root, read from the file's
    folder or from the root (where a command runs)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        found
        for found in RELATIVE_PATH.findall(text)
        if any(ROOT not in (base / found).resolve().parents for base in (path.parent, ROOT))
    ]


def test_the_project_points_nowhere_outside_itself():
    """Rule ids and product words are defined in docs/rules.md: no file refers the reader to a
    path above the project's root, which a clone doesn't have (this file's own examples
    apart)."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in project_files()
        if path != Path(__file__).resolve() and (found := paths_leaving_the_project(path))
    }
    assert not offenders


def test_the_outside_path_scan_can_fail():
    """A path climbing above the root is reported; one that stays inside is not."""
    inside = ROOT / "docs" / "rules.md"
    assert RELATIVE_PATH.findall("see ../docs/rules.md and ../../x/y.md") == [
        "../docs/rules.md",
        "../../x/y.md",
    ]
    assert ROOT in (inside.parent / "../README.md").resolve().parents
    assert ROOT not in (inside.parent / "../../elsewhere/FILE.md").resolve().parents
