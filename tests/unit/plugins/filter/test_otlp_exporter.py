import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.otlp_exporter import otlp_exporter


@pytest.mark.parametrize(
    "protocol, distribution, version, expected",
    [("grpc", "otelcol-contrib", "0.159.0", "otlp_grpc"), ("http", "otelcol-contrib", "0.159.0", "otlp_http"),
     ("grpc", "otelcol-contrib", "0.144.0", "otlp_grpc"), ("grpc", "otelcol-contrib", "0.143.1", "otlp"),
     ("http", "otelcol-contrib", "0.143.0", "otlphttp"), ("http", "otelcol", "v0.150.0", "otlp_http"),
     ("grpc", "jaeger", "2.20.0", "otlp_grpc"), ("grpc", "jaeger", "2.15.0", "otlp_grpc"),
     ("grpc", "jaeger", "2.14.0", "otlp"), ("http", "jaeger", "2.0.0", "otlphttp"),
     ("grpc", "jaeger", "2.15", "otlp_grpc")],
)
def test_names_follow_the_version(protocol, distribution, version, expected):
    assert otlp_exporter(protocol, distribution, version) == expected


def test_unknown_protocol_is_named():
    with pytest.raises(AnsibleFilterError, match="unknown protocol 'thrift'"):
        otlp_exporter("thrift", "jaeger", "2.20.0")


def test_unknown_distribution_is_named():
    with pytest.raises(AnsibleFilterError, match="unknown distribution 'alloy'"):
        otlp_exporter("grpc", "alloy", "1.0.0")


def test_non_version_is_named():
    with pytest.raises(AnsibleFilterError, match="'latest' is not a release version"):
        otlp_exporter("grpc", "jaeger", "latest")
