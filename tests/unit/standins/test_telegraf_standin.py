"""The Telegraf test stand-in behaves like the parts of telegraf the role relies on.

It is built the way the test mirror builds it (tests/artifacts/standins/telegraf.py) and run as a
program: the checker, environment substitution, the prometheus_client endpoint with basic auth and
TLS, systemd readiness, SIGHUP reloads.
"""
from __future__ import annotations

import base64
import datetime
import importlib.util
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILDER = os.path.join(ROOT, "tests", "artifacts", "standins", "telegraf.py")


@pytest.fixture(scope="module")
def telegraf(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("telegraf_standin_builder_t", BUILDER)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    files = builder.files("1.39.3", "amd64", {})
    assert set(files) == {"usr/bin/telegraf", "etc/telegraf/telegraf.conf"}
    path = tmp_path_factory.mktemp("standin") / "telegraf"
    data, mode = files["usr/bin/telegraf"]
    assert data.startswith(b"#!/usr/bin/env python3\n") and mode == 0o755
    path.write_bytes(data)
    path.chmod(mode)
    return str(path)


def run(telegraf, *args, env=None):
    return subprocess.run([sys.executable, telegraf, *args], capture_output=True, text=True, timeout=60,
                          check=False, env=dict({"PATH": os.environ.get("PATH", "")}, **(env or {})))


def check(telegraf, tmp_path, text, env=None):
    config = tmp_path / "telegraf.conf"
    config.write_text(text)
    drop_ins = tmp_path / "telegraf.d"
    drop_ins.mkdir(exist_ok=True)
    return run(telegraf, "config", "check", "--config", str(config), "--config-directory", str(drop_ins), env=env)


MINIMAL = '[agent]\n  interval = "10s"\n\n[[outputs.prometheus_client]]\n  listen = ":9273"\n\n[[inputs.cpu]]\n'


def test_version_says_it_is_a_stand_in(telegraf):
    for args in (["--version"], ["version"]):
        result = run(telegraf, *args)
        assert result.returncode == 0
        assert result.stdout.startswith("Telegraf 1.39.3 ")
        assert "TEST STAND-IN, not InfluxData Telegraf" in result.stdout


def test_release_sample_configuration_checks(telegraf, tmp_path):
    spec = importlib.util.spec_from_file_location("telegraf_standin_builder_s", BUILDER)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert check(telegraf, tmp_path, builder.SAMPLE).returncode == 0


@pytest.mark.parametrize("text, message", [
    (MINIMAL + "[[inputs.nonexistent]]\n", "error parsing nonexistent, undefined but requested input: nonexistent"),
    (MINIMAL + "[[outputs.nowhere]]\n", "undefined but requested output: nowhere"),
    (MINIMAL + "[[processors.magic]]\n", "undefined but requested processor: magic"),
    (MINIMAL + "[[inputs.cpu]]\n  totalcpus = true\n", 'plugin inputs.cpu: configuration specified the fields ["totalcpus"]'),
    (MINIMAL.replace('"10s"', '"10 s"'), "invalid duration '10 s' for interval"),
    (MINIMAL + "[agent\n", "error parsing data"),
    (MINIMAL + '[[inputs.prometheus]]\n  urls = ["localhost:9100"]\n', "could not parse URL"),
    (MINIMAL + "[[inputs.prometheus]]\n  metric_version = 2\n", "no urls"),
    (MINIMAL + '[[outputs.prometheus_client]]\n  listen = "9273"\n', "invalid listen address"),
    (MINIMAL + '[[outputs.prometheus_client]]\n  listen = ":9274"\n  tls_cert = "/nonexistent.crt"\n'
     '  tls_key = "/nonexistent.key"\n', "could not load keypair"),
    ('[[outputs.prometheus_client]]\n\n[inputs]\n  cpu = 3\n', "inputs.cpu must be a table"),
])
def test_checker_rejects_with_telegrafs_message(telegraf, tmp_path, text, message):
    result = check(telegraf, tmp_path, text)
    assert result.returncode == 1
    assert " E! " in result.stderr and message in result.stderr, result.stderr


def test_unmodelled_plugins_are_accepted_with_their_options(telegraf, tmp_path):
    text = MINIMAL + '[[inputs.nginx]]\n  urls = ["http://localhost/status"]\n  response_timeout = "5s"\n'
    assert check(telegraf, tmp_path, text).returncode == 0


def test_drop_in_directory_is_checked_too(telegraf, tmp_path):
    (tmp_path / "telegraf.d").mkdir()
    (tmp_path / "telegraf.d" / "bad.conf").write_text("[[inputs.nonexistent]]\n")
    result = check(telegraf, tmp_path, MINIMAL)
    assert result.returncode == 1 and "bad.conf" in result.stderr


def test_environment_is_substituted_as_text_before_parsing(telegraf, tmp_path):
    text = MINIMAL + '[global_tags]\n  a = "${A}"\n  b = "${B:-fallback}"\n'
    assert check(telegraf, tmp_path, text, env={"A": 'with \\"quote\\"'}).returncode == 0
    # Unescaped, the value breaks the TOML string, as it would in Telegraf >= 1.27.
    broken = check(telegraf, tmp_path, text, env={"A": 'with "quote"'})
    assert broken.returncode == 1 and "error parsing data" in broken.stderr
    required = check(telegraf, tmp_path, MINIMAL + '[global_tags]\n  a = "${A:?A is required}"\n')
    assert required.returncode == 1 and "A is required" in required.stderr


def test_test_mode_gathers_once_as_line_protocol(telegraf, tmp_path):
    config = tmp_path / "t.conf"
    config.write_text(MINIMAL + "[[inputs.system]]\n[[inputs.mem]]\n")
    result = run(telegraf, "--test", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert any(line.startswith("> system,host=") and "load1=" in line for line in result.stdout.splitlines())
    assert any(line.startswith("> mem,") and "used_percent=" in line for line in result.stdout.splitlines())


# --- running -------------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tls_pair(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    (directory / "t.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "t.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    return str(directory / "t.crt"), str(directory / "t.key")


def fetch(url, auth=None, context=None):
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def running(telegraf, tmp_path):
    """Start the stand-in; yields (process, port, config path, ca, notify socket)."""
    port = free_port()
    cert, key = tls_pair(tmp_path)
    config = tmp_path / "telegraf.conf"
    config.write_text('[global_tags]\n  lab = "unit"\n\n[agent]\n  hostname = "standin-test"\n\n'
                      '[[outputs.prometheus_client]]\n  listen = "127.0.0.1:%d"\n  metric_version = 2\n'
                      '  basic_username = "prom"\n  basic_password = "${PW}"\n  tls_cert = "%s"\n  tls_key = "%s"\n\n'
                      "[[inputs.system]]\n\n[[inputs.cpu]]\n  percpu = false\n" % (port, cert, key))
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(20)
    env = {"PATH": os.environ.get("PATH", ""), "PW": 'se\\"cret', "NOTIFY_SOCKET": str(tmp_path / "notify")}
    process = subprocess.Popen([sys.executable, telegraf, "--config", str(config)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process, port, config, ssl.create_default_context(cafile=cert), notify
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)
        notify.close()


def test_serves_metrics_with_basic_auth_and_tls_after_readiness(running):
    process, port, _config, context, notify = running
    assert notify.recv(64) == b"READY=1"
    url = "https://localhost:%d/metrics" % port
    status, body = fetch(url, auth='prom:se"cret', context=context)
    assert status == 200
    assert 'system_load1{host="standin-test",lab="unit"}' in body
    assert 'cpu_usage_idle{cpu="cpu-total",host="standin-test",lab="unit"}' in body
    assert 'cpu="cpu0"' not in body
    assert fetch(url, context=context)[0] == 401
    assert fetch(url, auth="prom:wrong", context=context)[0] == 401
    assert fetch("https://localhost:%d/other" % port, auth='prom:se"cret', context=context)[0] == 404
    status, body = fetch("http://localhost:%d/metrics" % port)
    assert status == 400 and "HTTP request to an HTTPS server" in body
    assert process.poll() is None


def test_sighup_rereads_the_configuration(running):
    process, port, config, context, notify = running
    assert notify.recv(64) == b"READY=1"
    config.write_text(config.read_text().replace('lab = "unit"', 'lab = "reloaded"'))
    process.send_signal(signal.SIGHUP)
    url = "https://localhost:%d/metrics" % port
    # Up to 20 s: the stand-in stops its TLS server and starts a new one, slow on a loaded machine.
    for _attempt in range(100):
        try:
            status, body = fetch(url, auth='prom:se"cret', context=context)
        except OSError:
            status, body = 0, ""
        if 'lab="reloaded"' in body:
            break
        time.sleep(0.2)
    assert status == 200 and 'lab="reloaded"' in body
    assert process.poll() is None


def test_invalid_configuration_on_reload_ends_the_process(running):
    process, _port, config, _context, notify = running
    assert notify.recv(64) == b"READY=1"
    config.write_text(config.read_text() + "\n[[inputs.nonexistent]]\n")
    process.send_signal(signal.SIGHUP)
    assert process.wait(timeout=20) == 1
    assert "undefined but requested input: nonexistent" in process.communicate(timeout=10)[1]


def test_sigterm_stops_cleanly(running):
    process, _port, _config, _context, notify = running
    assert notify.recv(64) == b"READY=1"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_refuses_to_run_without_outputs(telegraf, tmp_path):
    config = tmp_path / "telegraf.conf"
    config.write_text("[[inputs.cpu]]\n")
    result = run(telegraf, "--config", str(config))
    assert result.returncode == 1 and "no outputs found" in result.stderr
