"""The structure checker itself: each rule catches what it is meant to catch."""

import copy

import pytest

import otelcol_checks

SOUND = {
    "receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}}},
    "processors": {"batch": {}},
    "connectors": {"spanmetrics": {}},
    "exporters": {"otlp_http/jaeger": {"endpoint": "http://jaeger.test:4318"},
                  "prometheus": {"endpoint": "0.0.0.0:8889"}},
    "extensions": {"health_check": {"endpoint": "0.0.0.0:13133"},
                   "bearertokenauth/otlp": {"filename": "/etc/otelcol-contrib/otlp.token"}},
    "service": {
        "extensions": ["health_check", "bearertokenauth/otlp"],
        "pipelines": {"traces": {"receivers": ["otlp"], "processors": ["batch"],
                                 "exporters": ["otlp_http/jaeger", "spanmetrics"]},
                      "metrics/spanmetrics": {"receivers": ["spanmetrics"], "exporters": ["prometheus"]}},
        "telemetry": {"metrics": {"readers": [
            {"pull": {"exporter": {"prometheus": {"host": "0.0.0.0", "port": 8888}}}}]}}},
}


def broken(change):
    cfg = copy.deepcopy(SOUND)
    change(cfg)
    return otelcol_checks.problems(cfg, "otelcol-contrib", "0.159.0")


def test_sound_configuration_passes():
    assert otelcol_checks.problems(copy.deepcopy(SOUND), "otelcol-contrib", "0.159.0") == []


@pytest.mark.parametrize("change, expected", [
    (lambda c: c["receivers"].update({"jaeger": {"protocols": {"thrift_compact": {}}}}), "'jaeger' is defined but no pipeline"),
    (lambda c: c["processors"].update({"memory_limiter": {}}), "'memory_limiter' is defined but no pipeline"),
    (lambda c: c["service"]["pipelines"]["traces"]["receivers"].append("zipkin"), "references receiver 'zipkin'"),
    (lambda c: c["service"]["pipelines"]["traces"]["processors"].append("tail_sampling"), "references processor"),
    (lambda c: c["exporters"]["prometheus"].update({"endpoint": "0.0.0.0:8888"}), "port tcp/8888 is used twice"),
    (lambda c: c["service"]["extensions"].append("zpages"), "references extension 'zpages'"),
    (lambda c: c["extensions"].update({"pprof": {}}), "'pprof' is defined but not started"),
    (lambda c: c["extensions"].update({"bogusext": {}}), "unknown type: 'bogusext'"),
    (lambda c: c["receivers"]["otlp"]["protocols"]["http"].update({"auth": {"authenticator": "basicauth/x"}}),
     "authenticator 'basicauth/x' is not a started extension"),
    (lambda c: c["service"]["pipelines"].pop("metrics/spanmetrics"), "not used as receiver"),
    (lambda c: c["receivers"]["otlp"]["protocols"].update({"bogus": {}}), "invalid keys: bogus"),
])
def test_each_rule_catches_its_problem(change, expected):
    found = broken(change)
    assert any(expected in problem for problem in found), found


def test_exporter_names_follow_the_version():
    assert otelcol_checks.problems(copy.deepcopy(SOUND), "otelcol-contrib", "0.143.0") \
        == ["validate: 'exporters' unknown type: 'otlp_http' for id: 'otlp_http/jaeger' (valid values: [debug "
            "elasticsearch file kafka loadbalancing nop opensearch otlp otlphttp prometheus prometheusremotewrite "
            "zipkin])"]


def test_jaeger_storage_names_must_resolve():
    cfg = {"extensions": {"jaeger_storage": {"backends": {"a": {"memory": {}}}},
                          "jaeger_query": {"storage": {"traces": "b"}}},
           "receivers": {"otlp": {"protocols": {"http": {}}}},
           "exporters": {"jaeger_storage_exporter": {"trace_storage": "c"}},
           "service": {"extensions": ["jaeger_storage", "jaeger_query"],
                       "pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["jaeger_storage_exporter"]}}}}
    found = otelcol_checks.problems(cfg, "jaeger", "2.20.0")
    assert "exporter 'jaeger_storage_exporter' writes to unknown trace storage 'c'" in found
    assert "jaeger_query reads unknown trace storage 'b'" in found
