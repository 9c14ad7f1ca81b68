import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.otlp_exporter_config import otlp_exporter_config

QUEUE = {"enabled": True, "queue_size": 1000}
RETRY = {"enabled": True, "initial_interval": "5s", "max_interval": "30s", "max_elapsed_time": "300s"}


def test_plain_grpc_is_insecure_with_host_port():
    result = otlp_exporter_config({"endpoint": "http://jaeger.lab:4317"}, "otelcol-contrib", "0.159.0", "jaeger")
    assert result == {"id": "otlp_grpc/jaeger", "config": {
        "endpoint": "jaeger.lab:4317", "tls": {"insecure": True}, "compression": "gzip",
        "sending_queue": QUEUE, "retry_on_failure": RETRY}}


def test_grpc_tls_skip_verify_and_ca_headers_queue():
    result = otlp_exporter_config(
        {"endpoint": "jaeger.lab:4317", "tls": True, "tls_skip_verify": True, "tls_ca_file": "/etc/ssl/ca.crt",
         "headers": {"authorization": "Bearer ${file:/etc/x/token}"}, "queue_size": 50,
         "retry_max_elapsed_time": "10m"}, "jaeger", "2.20.0")
    assert result["id"] == "otlp_grpc/server"
    assert result["config"]["tls"] == {"insecure_skip_verify": True, "ca_file": "/etc/ssl/ca.crt"}
    assert result["config"]["headers"] == {"authorization": "Bearer ${file:/etc/x/token}"}
    assert result["config"]["sending_queue"] == {"enabled": True, "queue_size": 50}
    assert result["config"]["retry_on_failure"]["max_elapsed_time"] == "10m"


def test_http_urls_follow_tls():
    plain = otlp_exporter_config({"endpoint": "jaeger.lab:4318", "protocol": "http"}, "otelcol-contrib", "0.159.0")
    assert plain["id"] == "otlp_http/server"
    assert plain["config"]["endpoint"] == "http://jaeger.lab:4318" and "tls" not in plain["config"]
    secure = otlp_exporter_config({"endpoint": "http://jaeger.lab:4318", "protocol": "http", "tls": True,
                                   "tls_skip_verify": True, "compression": ""}, "otelcol-contrib", "0.159.0")
    assert secure["config"]["endpoint"] == "https://jaeger.lab:4318"
    assert secure["config"]["tls"] == {"insecure_skip_verify": True}
    assert "compression" not in secure["config"]


def test_old_versions_get_old_type_names():
    assert otlp_exporter_config({"endpoint": "a:1"}, "otelcol-contrib", "0.140.0")["id"] == "otlp/server"
    assert otlp_exporter_config({"endpoint": "a:1", "protocol": "http"}, "jaeger", "2.10.0")["id"] == "otlphttp/server"


@pytest.mark.parametrize("target, message", [
    ({}, "needs an endpoint"),
    ({"endpoint": "jaeger.lab"}, "is not host:port"),
    ({"endpoint": "jaeger.lab:4317", "protocol": "thrift"}, "protocol must be grpc or http"),
])
def test_bad_targets_are_named(target, message):
    with pytest.raises(AnsibleFilterError, match=message):
        otlp_exporter_config(target, "otelcol-contrib", "0.159.0")
