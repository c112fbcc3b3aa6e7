"""The areas' order is enforced: `lint-imports` (run by `make lint` and `make test`) passes on
the code as it is and fails on an arrow back up. docs/architecture.md, "Areas and their order".
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())
LINTER = CONFIG["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def layer_names() -> set[str]:
    (layers,) = [c for c in LINTER["contracts"] if c["type"] == "layers"]
    return {
        name.strip() for layer in layers["layers"] for name in layer.replace(":", "|").split("|")
    }


def test_every_package_of_ours_has_a_place_in_the_layers():
    """A new area must be put in the order, or nothing would check its arrows."""
    packages = {
        path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in {"tests"}
    }
    assert packages == set(LINTER["root_packages"]) == layer_names()


def copy_of_the_project(tmp_path: Path) -> Path:
    for package in LINTER["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "data"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    """The copy, not the installed project: its directory comes first on the path."""
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is in the dev extra")
@pytest.mark.parametrize(
    ("module", "back_up"),
    [
        ("accounts/services.py", "from profiles.models import Profile"),  # issue 9's arrows
        ("profiles/services.py", "from network.models import Follow"),
        ("core/errors.py", "from accounts.models import User"),
        ("web/tokens/views.py", "from api.auth import viewer"),  # web and api are siblings
        ("feed/queries.py", "def later():\n    from membership import queries"),  # in a function
        ("api/network.py", "from network.loader import current_index"),  # past the door
        ("graph/index.py", "import django.db"),
        ("membership/services.py", "from portability import services"),  # issue 17's area
        ("portability/services.py", "from web.portability import views"),
        ("profiles/queries.py", "from pages.models import PositionPage"),  # pages own the link
        ("pages/queries.py", "from feed.models import Post"),  # feed sits above pages
    ],
)
def test_an_arrow_back_up_breaks_the_contract(tmp_path, module, back_up):
    project = copy_of_the_project(tmp_path)
    assert lint_imports(project).returncode == 0  # the copy as it is: every contract kept
    path = project / module
    path.write_text(path.read_text() + f"\n\n{back_up}\n")
    found = lint_imports(project)
    assert found.returncode == 1, found.stdout
    assert "BROKEN" in found.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert importer in found.stdout
