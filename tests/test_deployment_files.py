import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_file_is_valid():
    env = {**os.environ, "POSTGRES_PASSWORD": "x", "SECRET_KEY": "y", "ALLOWED_HOSTS": "crm.test"}
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_templates_load_nothing_from_other_hosts():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if any(marker in path.read_text() for marker in ('src="http', 'href="http', 'src="//'))
    ]
    assert offenders == []


def test_gunicorn_is_published_on_the_hosts_loopback_only():
    """The app trusts X-Forwarded-Proto and -For, so only the proxy on the host may reach it."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in compose["services"].values():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), port
