# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OTLP exporter a Collector configuration needs to forward telemetry to another server."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.otlp_exporter import otlp_exporter

DEFAULTS = {
    "protocol": "grpc",
    "tls": False,
    "tls_skip_verify": False,
    "tls_ca_file": "",
    "headers": {},
    "queue_size": 1000,
    "retry_max_elapsed_time": "300s",
    "compression": "gzip",
}


def otlp_exporter_config(target, distribution, version, name="server"):
    """``{endpoint, protocol, tls, ...} | otlp_exporter_config('jaeger', '2.20.0', 'server')``.

    Returns ``{'id': '<type>/<name>', 'config': {...}}``: the exporter type the version expects
    (``otlp_grpc``/``otlp_http`` or the older ``otlp``/``otlphttp``), the endpoint in the form the
    protocol wants (``host:port`` for gRPC, an ``http(s)://`` URL for HTTP), TLS (``insecure`` for
    plain gRPC, ``insecure_skip_verify`` and a CA file otherwise), headers, and the exporter
    helper's retry and sending queue.
    """
    if not isinstance(target, dict) or not target.get("endpoint"):
        raise AnsibleFilterError("otlp_exporter_config: the target needs an endpoint (host:port or URL)")
    opts = dict(DEFAULTS, **target)
    protocol = opts["protocol"]
    if protocol not in ("grpc", "http"):
        raise AnsibleFilterError("otlp_exporter_config: protocol must be grpc or http, not %r" % (protocol,))
    if not re.match(r"^[a-z][a-z0-9_]*$", str(name)):
        raise AnsibleFilterError("otlp_exporter_config: %r is not a component name" % (name,))
    endpoint = str(opts["endpoint"]).strip()
    hostport = re.sub(r"^[a-z]+://", "", endpoint).rstrip("/")
    if not re.match(r"^[^\s/:]+:\d+$", hostport) and not re.match(r"^\[[0-9a-fA-F:]+\]:\d+$", hostport):
        raise AnsibleFilterError("otlp_exporter_config: endpoint %r is not host:port (or a URL with a port)" % endpoint)
    tls = {}
    if opts["tls"]:
        if opts["tls_skip_verify"]:
            tls["insecure_skip_verify"] = True
        if opts["tls_ca_file"]:
            tls["ca_file"] = opts["tls_ca_file"]
    config = {}
    if protocol == "grpc":
        config["endpoint"] = hostport
        config["tls"] = tls if opts["tls"] else {"insecure": True}
    else:
        config["endpoint"] = ("https://" if opts["tls"] else "http://") + hostport
        if tls:
            config["tls"] = tls
    if opts["compression"]:
        config["compression"] = opts["compression"]
    if opts["headers"]:
        config["headers"] = dict(opts["headers"])
    config["sending_queue"] = {"enabled": True, "queue_size": int(opts["queue_size"])}
    config["retry_on_failure"] = {"enabled": True, "initial_interval": "5s", "max_interval": "30s",
                                  "max_elapsed_time": str(opts["retry_max_elapsed_time"])}
    return {"id": "%s/%s" % (otlp_exporter(protocol, distribution, version), name), "config": config}
