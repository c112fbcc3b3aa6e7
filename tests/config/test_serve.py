"""`linkwell serve`: the gunicorn command line, static files and the printed demo login."""

import sys

import pytest

from config import serve
from config.cli import main as linkwell
from tests.factories import make_member


def test_gunicorn_argv_binds_host_and_port_with_workers():
    argv = serve.gunicorn_argv(host="0.0.0.0", port=9000, workers=3, python="/venv/bin/python")
    assert argv[:3] == ["/venv/bin/python", "-m", "gunicorn"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--worker-class") + 1] == "uvicorn_worker.UvicornWorker"
    assert argv[-1] == "config.asgi:application"  # streams hold no worker (issue 13)


def test_gunicorn_argv_runs_with_this_interpreter_by_default():
    assert serve.gunicorn_argv(host="127.0.0.1", port=8000, workers=1)[0] == sys.executable


def test_ipv6_hosts_are_bracketed():
    argv = serve.gunicorn_argv(host="::1", port=8001, workers=1)
    assert argv[argv.index("--bind") + 1] == "[::1]:8001"
    assert serve.site_url("::", 8001) == "http://[::1]:8001/"
    assert serve.site_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"


@pytest.fixture
def exec_calls(monkeypatch, settings, tmp_path):
    """Replace the process hand-over (os.execve) and collect static files into tmp_path."""
    calls = []
    monkeypatch.setattr(serve.os, "execve", lambda path, argv, env: calls.append((path, argv, env)))
    settings.STATIC_ROOT = tmp_path / "static"
    return calls


@pytest.mark.django_db
def test_serve_prints_the_url_and_demo_login_then_hands_over_to_gunicorn(
    exec_calls, capsys, monkeypatch
):
    monkeypatch.setenv("HOST", "127.0.0.2")
    monkeypatch.setenv("PORT", "8123")
    make_member(handle="demo")
    assert linkwell(["serve", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.2:8123/" in out
    assert serve.DEMO_LOGIN in out
    [(path, argv, env)] = exec_calls
    assert path == sys.executable
    assert argv == serve.gunicorn_argv(host="127.0.0.2", port=8123, workers=2)
    assert (env["HOST"], env["PORT"]) == ("127.0.0.2", "8123")


@pytest.mark.django_db
def test_serve_hands_the_bound_port_to_the_workers_so_their_site_url_follows(
    exec_calls, monkeypatch
):
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setenv("LINKWELL_SERVE_MARK", "kept")
    linkwell(["serve", "--host", "0.0.0.0", "--port", "8101"])
    [(_path, _argv, env)] = exec_calls
    assert (env["HOST"], env["PORT"]) == ("0.0.0.0", "8101")
    assert env["LINKWELL_SERVE_MARK"] == "kept"  # the rest of the environment is passed on


@pytest.mark.django_db
def test_serve_without_a_demo_member_prints_no_login(exec_calls, capsys):
    linkwell(["serve", "--host", "127.0.0.1", "--port", "8000"])
    assert serve.DEMO_LOGIN not in capsys.readouterr().out
    assert len(exec_calls) == 1


@pytest.mark.django_db
def test_serve_collects_static_files_only_when_stale(exec_calls, settings):
    assert serve.static_files_stale()
    linkwell(["serve"])
    assert (settings.STATIC_ROOT / "web").is_dir()
    assert not serve.static_files_stale()
