"""The files a clinic installs (deploy/) stay in step with what `make stack` runs and tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.stack.nginx import body_limit, proxy_directives, stack_config

DEPLOY = PROJECT_ROOT / "deploy"
SITE = DEPLOY / "nginx" / "assistant.conf"


def _nginx() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is not installed: `make setup` installs it"
    return binary


def test_the_site_file_proxies_exactly_as_the_tested_stack_does() -> None:
    site = SITE.read_text()
    for line in [*proxy_directives(), body_limit()]:
        assert line in site, f"deploy/nginx/assistant.conf lacks `{line}` (bot/stack/nginx.py has it)"


def test_the_site_file_is_valid_nginx_with_tls(tmp_path: Path) -> None:
    """`nginx -t` on the site file inside a minimal nginx.conf, with a throwaway certificate."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=assistant.example-clinic.org", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    site = SITE.read_text()
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/site.conf;\n}}\n")
    checked = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_stack_config_is_valid_nginx(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(stack_config(tmp_path, 18000, [15105, 15106]))
    checked = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_units_run_modules_and_files_that_exist() -> None:
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} == {"assistant-rasa@.service", "assistant-actions@.service",
                                       "assistant-staff.service"}
    for unit in units:
        text = unit.read_text()
        for module in re.findall(r"-m ([\w.]+)", text):
            path = PROJECT_ROOT / Path(*module.split("."))
            assert path.with_suffix(".py").exists() or (path / "__main__.py").exists(), f"{unit.name}: {module}"
        for name in re.findall(r"--(?:endpoints|credentials) (\S+)", text):
            assert (PROJECT_ROOT / name).exists(), f"{unit.name}: {name}"
        if "rasa run" in text:
            assert "--interface 127.0.0.1" in text  # replicas only behind nginx
            assert "--credentials deploy/credentials.production.yml" in text
            assert "--cors" in text  # the widget on the clinic's own site
        # systemd expands $VAR itself: a shell's $ must be written $$.
        for line in text.splitlines():
            if line.startswith("ExecStart=/bin/sh"):
                assert not re.search(r"(?<!\$)\$(?!\$)", line.replace("$$", "")), line
    target = (DEPLOY / "systemd" / "assistant.target").read_text()
    assert "WantedBy=multi-user.target" in target  # enabled, it starts everything after a reboot


def test_production_exposes_no_channel_that_trusts_any_sender() -> None:
    channels = yaml.safe_load((DEPLOY / "credentials.production.yml").read_text())
    assert set(channels) == {"bot.channels.widget.WidgetInput", "bot.channels.twilio.TwilioSMSInput"}


def test_the_production_endpoints_use_postgresql_and_redis_with_secrets_from_the_environment() -> None:
    endpoints = yaml.safe_load((DEPLOY / "endpoints.production.yml").read_text())
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "redis"
    assert endpoints["tracker_store"]["password"].startswith("${")
    assert endpoints["lock_store"]["password"].startswith("${")
    assert endpoints["action_endpoint"]["headers"]["X-Action-Secret"] == "${ACTION_SERVER_SECRET}"
