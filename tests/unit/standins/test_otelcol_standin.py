"""The Collector-like test stand-in behaves like the products where the roles and scenarios rely on it.

The packaged executables are built exactly as the test mirror builds them (the builders'
``files()``), then run: `--version` says it is a stand-in, `validate` accepts and refuses like the
product's checker, a running instance answers health, OTLP/HTTP and the Jaeger query API, and a
SIGHUP with a broken configuration ends the process as the real Collector does.
"""

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
STANDINS = os.path.join(ROOT, "tests", "artifacts", "standins")


def build(builder, binary, version, directory):
    spec = importlib.util.spec_from_file_location("standin_builder_" + builder, os.path.join(STANDINS, builder + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data, mode = module.files(version=version, arch="amd64", spec={})[binary]
    path = os.path.join(directory, binary)
    with open(path, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args):
    return subprocess.run([sys.executable] + list(args), capture_output=True, text=True, timeout=60, check=False)


def get(url):
    """Answer of the first request that is neither refused nor 503 (health while starting)."""
    for _attempt in range(50):
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                return exc.code, exc.read().decode()
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("%s never answered" % url)


@pytest.fixture(scope="module")
def binaries():
    directory = tempfile.mkdtemp(prefix="vigil-standin-")
    return {
        "jaeger": build("jaeger", "jaeger", "2.20.0", directory),
        "jaeger_old": build("jaeger", "jaeger", "2.14.0", tempfile.mkdtemp(prefix="vigil-standin-")),
        "otelcol": build("otelcol", "otelcol-contrib", "0.159.0", directory),
        "agent": build("jaeger_legacy", "jaeger-agent", "1.62.0", directory),
        "dir": directory,
    }


def jaeger_config(ports, directory):
    return {
        "service": {"extensions": ["jaeger_storage", "jaeger_query", "healthcheckv2"],
                    "pipelines": {"traces": {"receivers": ["otlp"], "processors": ["batch"],
                                             "exporters": ["jaeger_storage_exporter"]}},
                    "telemetry": {"metrics": {"readers": [{"pull": {"exporter": {"prometheus": {
                        "host": "127.0.0.1", "port": ports["metrics"]}}}}]}}},
        "extensions": {"healthcheckv2": {"use_v2": True, "http": {"endpoint": "127.0.0.1:%d" % ports["health"]}},
                       "jaeger_query": {"storage": {"traces": "main"},
                                        "http": {"endpoint": "127.0.0.1:%d" % ports["query"]},
                                        "grpc": {"endpoint": "127.0.0.1:%d" % ports["query_grpc"]}},
                       "jaeger_storage": {"backends": {"main": {"badger": {"directories": {
                           "keys": os.path.join(directory, "keys"), "values": os.path.join(directory, "values")}}}}}},
        "receivers": {"otlp": {"protocols": {"http": {"endpoint": "127.0.0.1:%d" % ports["otlp"]}}}},
        "processors": {"batch": {}},
        "exporters": {"jaeger_storage_exporter": {"trace_storage": "main"}},
    }


def write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle)
    return path


def test_version_says_stand_in(binaries):
    for key, expected in (("jaeger", "jaeger version 2.20.0"), ("otelcol", "otelcol-contrib version 0.159.0")):
        out = run(binaries[key], "--version").stdout
        assert expected in out and "TEST STAND-IN" in out
    assert '"gitVersion": "v1.62.0"' in run(binaries["agent"], "version").stdout


def test_validate_accepts_and_refuses(binaries):
    ports = {k: free_port() for k in ("metrics", "health", "query", "query_grpc", "otlp")}
    good = write(binaries["dir"], "good.yaml", jaeger_config(ports, binaries["dir"]))
    assert run(binaries["jaeger"], "validate", "--config=" + good).returncode == 0
    cfg = jaeger_config(ports, binaries["dir"])
    cfg["service"]["pipelines"]["traces"]["exporters"].append("otlp_grpc/x")
    bad = write(binaries["dir"], "bad.yaml", cfg)
    result = run(binaries["jaeger"], "validate", "--config", bad)
    assert result.returncode == 1 and "references exporter 'otlp_grpc/x' which is not configured" in result.stderr
    cfg["exporters"]["otlp_grpc/x"] = {"endpoint": "server:4317"}
    newer = write(binaries["dir"], "newer.yaml", cfg)
    assert run(binaries["jaeger"], "validate", "--config=" + newer).returncode == 0
    older = run(binaries["jaeger_old"], "validate", "--config=" + newer)
    assert older.returncode == 1 and "unknown type: 'otlp_grpc'" in older.stderr


def test_file_references_must_exist(binaries):
    cfg = {"receivers": {"otlp": {"protocols": {"http": {}}}},
           "exporters": {"otlp_http/s": {"endpoint": "http://s:4318",
                                         "headers": {"authorization": "Bearer ${file:%s/absent.token}" % binaries["dir"]}}},
           "service": {"pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["otlp_http/s"]}}}}
    result = run(binaries["otelcol"], "validate", "--config=" + write(binaries["dir"], "ref.yaml", cfg))
    assert result.returncode == 1 and "absent.token" in result.stderr


def test_running_instance_and_failed_reload(binaries):
    directory = tempfile.mkdtemp(prefix="vigil-standin-run-")
    ports = {k: free_port() for k in ("metrics", "health", "query", "query_grpc", "otlp")}
    config = write(directory, "config.yaml", jaeger_config(ports, directory))
    proc = subprocess.Popen([sys.executable, binaries["jaeger"], "--config=" + config],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        status, body = get("http://127.0.0.1:%d/status" % ports["health"])
        assert status == 200 and json.loads(body)["status"] == "StatusOK"
        resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]}
        spans = [{"traceId": "ab" * 16, "spanId": "cd" * 8, "name": "op"}]
        span = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": spans}]}]}
        req = urllib.request.Request("http://127.0.0.1:%d/v1/traces" % ports["otlp"], data=json.dumps(span).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert resp.status == 200
        status, body = get("http://127.0.0.1:%d/api/services" % ports["query"])
        assert json.loads(body)["data"] == ["svc"]
        with open(config, "w", encoding="utf-8") as handle:
            handle.write("receivers: {otlp: {protocols: {bogus: {}}}}\n")
        proc.send_signal(signal.SIGHUP)
        assert proc.wait(timeout=20) == 1
        assert "failed to reload config" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_legacy_agent_flags_and_health(binaries):
    bad = run(binaries["agent"], "--reporter.grpc.host-port=server:14250", "--no-such-flag=1")
    assert bad.returncode == 1 and "unknown flag: --no-such-flag" in bad.stderr
    missing = run(binaries["agent"])
    assert missing.returncode == 1 and "at least one collector hostPort" in missing.stderr
    admin, sampling = free_port(), free_port()
    udp = [free_port() for _index in range(3)]
    proc = subprocess.Popen([sys.executable, binaries["agent"], "--reporter.grpc.host-port=server:14250",
                             "--agent.tags=host.name=h,team=ops", "--admin.http.host-port=127.0.0.1:%d" % admin,
                             "--http-server.host-port=127.0.0.1:%d" % sampling,
                             "--processor.jaeger-compact.server-host-port=127.0.0.1:%d" % udp[0],
                             "--processor.jaeger-binary.server-host-port=127.0.0.1:%d" % udp[1],
                             "--processor.zipkin-compact.server-host-port=127.0.0.1:%d" % udp[2]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, body = get("http://127.0.0.1:%d/" % admin)
        assert status == 200 and json.loads(body)["status"] == "Server available"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_health_says_starting_until_receivers_are_bound(monkeypatch):
    """Health answers 503 while the receivers are still being bound, as the product's extensions do.

    A client that waits for health may send data at once; before, the stand-in answered 200 before
    its OTLP receiver listened, and such a client was refused.
    """
    monkeypatch.syspath_prepend(STANDINS)
    from otelcol_core.httpkit import Request  # pylint: disable=import-outside-toplevel
    from otelcol_core.runtime import Runtime  # pylint: disable=import-outside-toplevel

    runtime = Runtime({"service": {"pipelines": {"traces": {}}}}, "otelcol-contrib", "0.159.0", "otelcol-contrib")
    request = Request("GET", "/status", {}, b"")
    for route, starting, ready in ((runtime._health_v2_route("/status"), "StatusStarting", "StatusOK"),
                                   (runtime._health_v1_route("/status"), "Server not available", "Server available")):
        answer = route(request)
        assert answer.status == 503 and json.loads(answer.body)["status"] == starting
        runtime.ready = True
        answer = route(request)
        assert answer.status == 200 and json.loads(answer.body)["status"] == ready
        runtime.ready = False
    runtime.start()
    assert runtime.ready
