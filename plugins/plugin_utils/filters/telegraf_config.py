# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Telegraf configuration document (before to_toml) the telegraf role's variables describe."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.utils.vars import merge_hash

from ansible_collections.vigil.observability.plugins.module_utils._filter_settings import check_settings, is_list

SETTINGS = ("global_tags", "agent", "prometheus_client", "outputs", "processors", "aggregators", "inputs", "docker",
            "prometheus_inputs", "inputs_extra")
CLIENT_SETTINGS = ("listen", "path", "basic_username", "password_variable", "tls_cert", "tls_key", "options")
# Sections in Telegraf's own order.
SECTIONS = ("global_tags", "agent", "outputs", "processors", "aggregators", "inputs")


def _fail(message, *args):
    raise AnsibleFilterError("telegraf_config: " + (message % args if args else message))


def _mapping(value, what):
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        _fail("%s must be a mapping, not %s", what, type(value).__name__)
    return value


def _prometheus_client(client):
    """The [[outputs.prometheus_client]] block: the password only as a ${VARIABLE} reference."""
    check_settings("telegraf_config", client, CLIENT_SETTINGS, "prometheus_client settings", AnsibleFilterError)
    block = {"listen": client["listen"], "path": client["path"], "metric_version": 2}
    if client["basic_username"]:
        block.update(basic_username=client["basic_username"], basic_password="${%s}" % client["password_variable"])
    if client["tls_cert"]:
        block.update(tls_cert=client["tls_cert"], tls_key=client["tls_key"])
    return merge_hash(block, _mapping(client["options"], "prometheus_client.options"), True, "replace")


def _prometheus_blocks(blocks):
    """One [[inputs.prometheus]] block per application endpoint, metric_version 2 unless given."""
    if not is_list(blocks):
        _fail("prometheus_inputs must be a list of mappings, not %s", type(blocks).__name__)
    out = []
    for index, block in enumerate(blocks):
        if not isinstance(block, Mapping):
            _fail("prometheus_inputs item %d is a %s, not a mapping", index, type(block).__name__)
        block = dict(block)
        block["metric_version"] = block.get("metric_version", 2)
        out.append(block)
    return out


def _plugins(section, sources):
    """Plugin name -> list of blocks; the blocks of one plugin from several sources add up.

    A source maps a plugin name to a list of blocks, a single block (a mapping) or null/[] (none).
    """
    out = {}
    for what, source in sources:
        for name, blocks in _mapping(source, what).items():
            if isinstance(blocks, Mapping):
                blocks = [blocks]
            elif blocks is None:
                blocks = []
            elif not is_list(blocks) or not all(isinstance(block, Mapping) for block in blocks):
                _fail("%s.%s (%s): must be a list of option mappings, a mapping or null, not %r", section, name, what, blocks)
            if blocks:
                out[name] = out.get(name, []) + list(blocks)
    return out


def telegraf_config(settings):
    """Return the document the role renders before ``telegraf_config`` is merged over it.

    Outputs: the prometheus_client block (unless ``prometheus_client`` is null), then ``outputs``.
    Inputs: ``inputs``, the ``docker`` block (unless null), one ``prometheus`` block per item of
    ``prometheus_inputs``, then ``inputs_extra``. Sections without anything are left out.
    """
    check_settings("telegraf_config", settings, SETTINGS, error=AnsibleFilterError)
    client = settings["prometheus_client"]
    docker = settings["docker"]
    values = {
        "global_tags": _mapping(settings["global_tags"], "global_tags"),
        "agent": _mapping(settings["agent"], "agent"),
        "outputs": _plugins("outputs", [
            ("prometheus_client", {"prometheus_client": [_prometheus_client(client)]} if client is not None else {}),
            ("outputs", settings["outputs"])]),
        "processors": _plugins("processors", [("processors", settings["processors"])]),
        "aggregators": _plugins("aggregators", [("aggregators", settings["aggregators"])]),
        "inputs": _plugins("inputs", [
            ("inputs", settings["inputs"]),
            ("docker", {"docker": [_mapping(docker, "docker")]} if docker is not None else {}),
            ("prometheus_inputs", {"prometheus": _prometheus_blocks(settings["prometheus_inputs"])}),
            ("inputs_extra", settings["inputs_extra"])]),
    }
    return {section: values[section] for section in SECTIONS if values[section]}
