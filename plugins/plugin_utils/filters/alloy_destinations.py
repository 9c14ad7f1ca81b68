# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the alloy role sends a pipeline, and with which credentials: the servers' own endpoints
(service_endpoints) unless the inventory names the destination or the credentials itself."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail as _fail, mapping as _mapping

NAME = "alloy_destinations"
_EXPLICIT = ("url", "username", "password", "ca_file")
_ADDRESSES = ("url", "hostport")


def _text(value, what):
    if value is None:
        return ""
    if not isinstance(value, str):
        _fail(NAME, "%s must be a string, not %s", what, type(value).__name__)
    return value


def _secret_path(password_file, index):
    return password_file if index == 0 else "%s_%d" % (password_file, index)


def _destination(index, target, tls, username, password, ca_file, password_file, gateway):
    client = {"ca_file": ca_file}
    secret = {}
    if username:
        path = _secret_path(password_file, index)
        client.update(username=username, password_file=path)
        secret = {"path": path, "content": password}
    return {"target": target, "tls": tls, "gateway": gateway, "client": client, "secret": secret}


def alloy_destinations(endpoints, explicit, password_file, suffix="", address="url"):
    """``endpoints | alloy_destinations(explicit, password_file, suffix='', address='url')``.

    One destination per endpoint (``service_endpoints`` of the servers): ``target`` its ``url`` +
    ``suffix`` (or its ``hostport`` with ``address='hostport'``), ``tls``, ``gateway``, ``client``
    (``username`` and ``password_file`` when the server asks for basic auth, ``ca_file``) and
    ``secret`` (``{path, content}`` of the password file, ``{}`` without one). ``explicit`` holds
    the inventory's own ``url``, ``username``, ``password`` and ``ca_file``: an explicit URL is the
    only destination (with only the explicit credentials, ``tls`` None: the URL says), an explicit
    username replaces the servers' credentials, an explicit CA file theirs. The password file of the
    endpoint at position n > 0 is ``<password_file>_<n>``.
    """
    if isinstance(endpoints, (str, Mapping)) or not isinstance(endpoints, (list, tuple)):
        _fail(NAME, "the endpoints must be a list (service_endpoints), not %s", type(endpoints).__name__)
    explicit = _mapping(NAME, explicit, "the explicit settings")
    unknown = sorted(str(key) for key in explicit if key not in _EXPLICIT)
    if unknown:
        _fail(NAME, "unknown explicit setting(s) %s; known: %s", ", ".join(unknown), ", ".join(_EXPLICIT))
    url, username, password, ca_file = (_text(explicit.get(key), "explicit %s" % key) for key in _EXPLICIT)
    password_file = _text(password_file, "password_file")
    if not password_file.startswith("/"):
        _fail(NAME, "password_file must be an absolute path, not %r", password_file)
    if address not in _ADDRESSES:
        _fail(NAME, "address must be url or hostport, not %r", address)
    if url:
        return [_destination(0, url, None, username, password, ca_file, password_file, False)]
    out = []
    for index, endpoint in enumerate(endpoints):
        if not isinstance(endpoint, Mapping) or address not in endpoint:
            _fail(NAME, "endpoint %d is not a service_endpoint result (no %s): %r", index, address, endpoint)
        auth = _mapping(NAME, endpoint.get("basic_auth"), "the basic_auth of endpoint %d" % index)
        user, secret = (username, password) if username else (auth.get("username") or "", auth.get("password") or "")
        target = endpoint[address] + (suffix if address == "url" else "")
        out.append(_destination(index, target, bool(endpoint.get("tls")), user, secret,
                                ca_file or endpoint.get("ca_file") or "", password_file, bool(endpoint.get("gateway"))))
    return out
