"""`manage.py check --deploy` is clean under production settings (issue 2, item 8)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "off",
        "LINKWELL_HTTPS": "on",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "linkwell.example",
        "LINKWELL_VAR_DIR": str(tmp_path),
    }
    for inherited in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"):
        env.pop(inherited, None)  # the browser fixture sets the async one for this process
    python = ROOT / ".venv" / "bin" / "python"
    result = subprocess.run(
        [
            str(python if python.exists() else sys.executable),
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
