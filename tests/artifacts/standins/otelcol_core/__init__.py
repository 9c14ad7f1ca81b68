"""A Collector-like TEST STAND-IN core for the vigil.observability test mirror (not OpenTelemetry code).

One Python core packaged three ways by the builders next to this directory: ``jaeger`` (Jaeger v2,
an OpenTelemetry Collector distribution), ``otelcol-contrib`` and, separately, ``jaeger-agent``
1.62.0 (``legacy_agent``). What it does, following the products' documented behaviour:

- ``config``: reads Collector YAML (``--config`` with the ``file:`` and ``yaml:`` providers and
  ``${env:..}`` / ``${file:..}`` expansion) and applies the Collector's structure rules: known
  component types per distribution and version, every pipeline reference defined, connectors
  used on both sides, extensions defined, known keys for the components the roles render.
- ``runtime``: binds every configured endpoint, answers healthcheckv2 ``/status`` and
  health_check ``/``, self-metrics on the telemetry port, OTLP/HTTP (JSON) on the receivers with
  bearer-token / basic auth and TLS, the processors the roles use, spanmetrics -> prometheus
  exporter, OTLP/HTTP export with a retry queue, Jaeger storage (memory, badger as a file) and the
  Jaeger query HTTP API, remote sampling. gRPC endpoints are bound but speak nothing.
- ``cli``: ``--version``, ``validate --config``, ``components``, run; SIGHUP re-reads the
  configuration and, like the real Collector, EXITS when the new one is invalid.
"""

STANDIN_NOTE = "vigil.observability TEST STAND-IN"
