# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared argument specs of the grafana_* modules (the transport and state specs of every module) and small input helpers.

``plugins/doc_fragments/_grafana.py`` and ``_state.py`` document these specs option by
option; a unit test keeps them identical.
"""

from __future__ import annotations

import re

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

# How every module of the collection reaches its server (doc_fragments/_transport.py).
TRANSPORT_SPEC = dict(
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=30),
)

GRAFANA_CONNECTION = dict(
    url=dict(type="str", required=True, fallback=(env_fallback, ["GRAFANA_URL"])),
    token=dict(type="str", no_log=True, fallback=(env_fallback, ["GRAFANA_TOKEN"])),
    username=dict(type="str", fallback=(env_fallback, ["GRAFANA_USER"])),
    password=dict(type="str", no_log=True, fallback=(env_fallback, ["GRAFANA_PASSWORD"])),
    org_id=dict(type="int", fallback=(env_fallback, ["GRAFANA_ORG_ID"])),
    **TRANSPORT_SPEC
)

GRAFANA_MUTUALLY_EXCLUSIVE = [["token", "username"]]
GRAFANA_REQUIRED_TOGETHER = [["username", "password"]]

STATE_SPEC = dict(
    state=dict(type="str", default="present", choices=["present", "absent"]),
)

# Alerting provisioning objects: one switch, sent consistently on every write.
PROVENANCE_SPEC = dict(
    disable_provenance=dict(type="bool", default=False),
)

# Grafana's rule for every uid (dashboards, folders, data sources, alerting objects).
UID_PATTERN = re.compile(r"^[a-zA-Z0-9\-_]*$")
UID_MAX_LENGTH = 40


def grafana_spec(**options):
    """The full argument spec of a grafana_* module: connection + state + its own options."""
    spec = dict(GRAFANA_CONNECTION)
    spec.update(STATE_SPEC)
    spec.update(options)
    return spec


def provenance_headers(params):
    """``X-Disable-Provenance`` for every write when the module's disable_provenance is set."""
    return {"X-Disable-Provenance": "true"} if params.get("disable_provenance") else {}


def module_kwargs(argument_spec, **extra):
    """Keyword arguments for AnsibleModule shared by every grafana_* module."""
    kwargs = dict(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=list(GRAFANA_MUTUALLY_EXCLUSIVE) + list(extra.pop("mutually_exclusive", [])),
        required_together=list(GRAFANA_REQUIRED_TOGETHER) + list(extra.pop("required_together", [])),
    )
    kwargs.update(extra)
    return kwargs


def grafana_module(options, uid=False, **extra):
    """The AnsibleModule of a grafana_* module: connection, state and its own ``options``.

    ``uid=True``: the object is found by a required ``uid`` option, checked against Grafana's
    rules (and trimmed) before anything else; a bad one fails the module cleanly.
    """
    if uid:
        options = dict(options, uid=dict(type="str", required=True))
    module = AnsibleModule(**module_kwargs(grafana_spec(**options), **extra))
    if uid:
        try:
            module.params["uid"] = validate_uid(module.params["uid"])
        except ValidationError as err:
            module.fail_json(msg=str(err))
    return module


def payload(params, *keys, **renames):
    """A dict of the given module params that are set; ``renames`` map option -> API key."""
    out = {}
    for key in keys:
        if params.get(key) is not None:
            out[key] = params[key]
    for key, api_key in renames.items():
        if params.get(key) is not None:
            out[api_key] = params[key]
    return out


def validate_uid(uid, what="uid", allow_empty=False):
    """Grafana's uid rules (at most 40 characters of ``[a-zA-Z0-9-_]``); the trimmed uid."""
    if uid is None or str(uid).strip() == "":
        if allow_empty:
            return ""
        raise ValidationError("%s is required and must not be empty" % what)
    uid = str(uid).strip()
    if len(uid) > UID_MAX_LENGTH:
        raise ValidationError("%s %r is %d characters long; Grafana accepts at most %d" % (what, uid, len(uid), UID_MAX_LENGTH))
    if not UID_PATTERN.match(uid):
        raise ValidationError("%s %r contains characters Grafana rejects; use only letters, digits, '-' and '_'" % (what, uid))
    return uid
