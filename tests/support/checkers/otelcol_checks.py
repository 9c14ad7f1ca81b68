# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Structure checks of OpenTelemetry Collector configurations (Jaeger v2, otelcol-contrib).

``problems(cfg, distribution, version)`` returns what is wrong with a generated configuration:

- everything the product's own ``validate`` refuses (the rules live once, in the test stand-in's
  ``otelcol_core.config``, which the tests import rather than copy): unknown component types for
  the distribution and version, pipelines naming undefined components, connectors not used on
  both sides, service extensions that are not defined, unknown keys of the rendered components;
- and the stricter rules of our roles: every defined receiver, processor, exporter and connector
  is used by a pipeline, every defined extension is started, no port is opened twice, every
  authenticator a component names is a started extension of the right side (a receiver's is a
  server authenticator, an exporter's a client one), and Jaeger's storage names resolve.
"""
from __future__ import annotations

import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "artifacts", "standins"))

from otelcol_core import catalog, config as collector_config


def rendered_config(rendered, variant):
    """The parsed configuration of a render-tier variant that must have succeeded."""
    result = rendered[variant]
    assert result["failed"] is None, result["failed"]
    return parse(result["files"]["config.yaml.j2"])


def parse(text):
    data = yaml.safe_load(text)
    assert isinstance(data, dict), "the configuration is not a YAML mapping"
    return data


def _side(cfg, authenticator):
    """'server', 'client' or 'both': which side an authenticator extension can serve."""
    xtype = authenticator.split("/")[0]
    xcfg = (cfg.get("extensions") or {}).get(authenticator) or {}
    if xtype == "basicauth":
        return "client" if xcfg.get("client_auth") else "server"
    return "both" if xtype == "bearertokenauth" else "server"


def _authenticators(node, where, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "auth" and isinstance(value, dict) and "authenticator" in value:
                found.append((where, value["authenticator"]))
            else:
                _authenticators(value, "%s::%s" % (where, key), found)
    elif isinstance(node, list):
        for item in node:
            _authenticators(item, where, found)
    return found


def problems(cfg, distribution, version):
    """Every structural problem of `cfg` (an empty list when the configuration is sound)."""
    try:
        collector_config.validate(cfg, distribution, version)
    except collector_config.ConfigError as exc:
        return ["validate: %s" % exc]
    found = []
    service = cfg.get("service") or {}
    pipelines = service.get("pipelines") or {}
    used = {"receivers": set(), "processors": set(), "exporters": set()}
    for pipe in pipelines.values():
        for kind in used:
            used[kind] |= set((pipe or {}).get(kind) or [])
    for kind in ("receivers", "processors", "exporters"):
        for cid in cfg.get(kind) or {}:
            if cid not in used[kind]:
                found.append("%s %r is defined but no pipeline uses it" % (kind[:-1], cid))
    for cid in cfg.get("connectors") or {}:
        if cid not in used["receivers"] or cid not in used["exporters"]:
            found.append("connector %r is not used as both exporter and receiver" % cid)
    started = list(service.get("extensions") or [])
    if len(set(started)) != len(started):
        found.append("service::extensions lists an extension twice: %s" % started)
    for xid in cfg.get("extensions") or {}:
        if xid not in started:
            found.append("extension %r is defined but not started in service::extensions" % xid)
    for xid in started:
        xtype = collector_config.split_id(xid)[0]
        if xtype not in catalog.known_types(distribution, version, "extensions"):
            found.append("extension %r has no valid type for %s %s" % (xid, distribution, version))
    for where, authenticator in _authenticators({k: cfg.get(k) for k in catalog.KINDS}, "", []):
        where = where.lstrip(":")
        if authenticator not in started:
            found.append("%s: authenticator %r is not a started extension" % (where, authenticator))
        wanted = "client" if where.startswith("exporters::") else "server"
        if _side(cfg, authenticator) not in (wanted, "both"):
            found.append("%s: authenticator %r is not a %s authenticator" % (where, authenticator, wanted))
    seen = {}
    for owner, proto, _host, port in collector_config.endpoints(cfg):
        if port is None:
            found.append("%s listens without a port" % owner)
            continue
        if (proto, port) in seen:
            found.append("port %s/%d is used twice: %s and %s" % (proto, port, seen[(proto, port)], owner))
        seen[(proto, port)] = owner
    extensions = cfg.get("extensions") or {}
    storage = next((v for k, v in extensions.items() if k.split("/")[0] == "jaeger_storage"), None)
    if storage is not None:
        backends = set((storage or {}).get("backends") or {})
        metric_backends = set((storage or {}).get("metric_backends") or {})
        for eid, ecfg in (cfg.get("exporters") or {}).items():
            if eid.split("/")[0] == "jaeger_storage_exporter" and (ecfg or {}).get("trace_storage") not in backends:
                found.append("exporter %r writes to unknown trace storage %r" % (eid, (ecfg or {}).get("trace_storage")))
        for xid, xcfg in extensions.items():
            if xid.split("/")[0] == "jaeger_query":
                store = (xcfg or {}).get("storage") or {}
                if store.get("traces") not in backends:
                    found.append("%s reads unknown trace storage %r" % (xid, store.get("traces")))
                if store.get("metrics") and store["metrics"] not in metric_backends:
                    found.append("%s reads unknown metrics storage %r" % (xid, store["metrics"]))
    return found


def listeners(cfg):
    """[(owner, protocol, host, port)] of everything the configuration listens on."""
    return collector_config.endpoints(cfg)


def listening_ports(cfg):
    """{(protocol, port): owner} of everything the configuration listens on."""
    return {(proto, port): owner for owner, proto, _host, port in collector_config.endpoints(cfg)}
