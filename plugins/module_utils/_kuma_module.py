# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared argument spec, entry and session handling of the uptime_kuma_* modules.

A resource module describes its object as a ``KumaObject`` and its entry is three calls:
``module = kuma_module(options, identity, check)``, ``obj = MyObject(module)``,
``run_object(module, obj, "result_key")``.

``plugins/doc_fragments/_uptime_kuma.py`` documents ``KUMA_CONNECTION`` option by option; a
unit test keeps them identical.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.vigil.observability.plugins.module_utils import _resource
from ansible_collections.vigil.observability.plugins.module_utils._args import STATE_SPEC, TRANSPORT_SPEC
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError, VigilError
from ansible_collections.vigil.observability.plugins.module_utils._kuma import (
    HAS_SOCKETIO, SOCKETIO_IMPORT_ERROR, KumaClient, KumaError,
)

KUMA_CONNECTION = dict(
    url=dict(type="str", default="http://127.0.0.1:3001", fallback=(env_fallback, ["UPTIME_KUMA_URL"])),
    username=dict(type="str", fallback=(env_fallback, ["UPTIME_KUMA_USERNAME"])),
    password=dict(type="str", no_log=True, fallback=(env_fallback, ["UPTIME_KUMA_PASSWORD"])),
    totp=dict(type="str", no_log=True),
    token=dict(type="str", no_log=True, fallback=(env_fallback, ["UPTIME_KUMA_TOKEN"])),
    token_file=dict(type="path"),
    **TRANSPORT_SPEC
)


def kuma_spec(with_state=True, **options):
    """The full argument spec of an uptime_kuma_* module: connection (+ state) + its own options."""
    spec = dict(KUMA_CONNECTION)
    if with_state:
        spec.update(STATE_SPEC)
    spec.update(options)
    return spec


def kuma_module(options, identity=None, check=None, with_state=True, **kwargs):
    """The AnsibleModule of an uptime_kuma_* module (check mode supported), its input checked
    before any connection: the ``identity`` option (the one that finds the object) must not be
    empty, and ``check(params)`` may raise a ValidationError; either fails the module cleanly."""
    module = AnsibleModule(argument_spec=kuma_spec(with_state=with_state, **options), supports_check_mode=True, **kwargs)
    try:
        if identity is not None and not module.params[identity].strip():
            raise ValidationError("%s must not be empty" % identity)
        if check is not None:
            check(module.params)
    except ValidationError as err:
        module.fail_json(msg=str(err))
    return module


class KumaObject(object):
    """One object of an uptime_kuma_* resource module, found by the option ``identity``.

    A subclass sets ``kind`` (names it in messages: ``label`` is ``"<kind> '<name>'"``) and
    ``identity``, and gives ``read(client)``, ``desired(client, current)`` (the desired view),
    ``create``/``update``/``delete(client, desired, current)``, ``view(raw)``, ``summary(raw)``
    and ``predict(desired, current)`` as ``_resource.Resource`` describes them.
    """

    kind = None
    identity = None
    summary = None  # default: the view
    predict = None  # default: the desired view

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.name = self.params[self.identity]
        self.label = "%s %r" % (self.kind, self.name)

    def resource(self, client):
        return _resource.Resource(self.kind, read=self.read, create=self.create, update=self.update,
                                  delete=self.delete, view=self.view, summary=self.summary, predict=self.predict,
                                  label=self.label)

    def extra(self):
        """Further keys of the result with O(state=present)."""
        return {}


def run_object(module, obj, key):
    """Connect, make ``obj`` what the module's state asks, and return it under ``key`` (with
    ``obj.extra()`` when present)."""
    state = module.params["state"]

    def work(client):
        desired = (lambda current: obj.desired(client, current)) if state == "present" else None
        result = _resource.ensure(client, obj.resource(client), desired, state, module.check_mode)
        return _resource.module_result(module, result, key, **(obj.extra() if state == "present" else {}))

    run(module, work)


def check_library(module):
    if not HAS_SOCKETIO:
        module.fail_json(msg=missing_required_lib("python-socketio[client]") + ": Debian's python3-socketio and "
                         "python3-websocket on the host that runs the module", exception=SOCKETIO_IMPORT_ERROR)


def read_token_file(path):
    try:
        with open(path) as handle:
            return handle.read().strip() or None
    except (IOError, OSError):
        return None


def write_token_file(path, token):
    """Keep the JWT for the next module call (0600): the password login is rate limited."""
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise ValidationError("token_file %s: its directory does not exist" % path)
    tmp = "%s.tmp-%d" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    os.rename(tmp, path)


def connect(params):
    """A connected and logged-in KumaClient for the module's connection parameters.

    Login order: ``token``, then the JWT kept in ``token_file``, then username/password (+totp);
    a password login refreshes ``token_file``.
    """
    client = KumaClient(params["url"], timeout=params["timeout"], validate_certs=params["validate_certs"],
                        ca_path=params.get("ca_path"))
    client.connect()
    try:
        token_file = params.get("token_file")
        for token in (params.get("token"), read_token_file(token_file) if token_file else None):
            if token:
                try:
                    client.login(token=token)
                    return client
                except KumaError:
                    if not params.get("username"):
                        raise
        if not params.get("username") or params.get("password") is None:
            raise ValidationError("log in with username and password, or with token")
        token = client.login(params["username"], params["password"], totp=params.get("totp"))
        if token_file and token:
            write_token_file(token_file, token)
        return client
    except Exception:
        client.close()
        raise


def run(module, work, connector=None):
    """Connect, run ``work(client)`` (returns exit_json kwargs), close; every VigilError a clean failure.

    ``connector(params)`` returns the connected client (default: ``connect``, logged in). The
    client's counters are returned as ``requests`` so a no-op can be shown to send no write.
    """
    check_library(module)
    client = None
    try:
        client = (connector or connect)(module.params)
        result = work(client)
        result["requests"] = dict(client.stats)
    except VigilError as err:
        extra = err.details()
        if client is not None:
            extra["requests"] = dict(client.stats)
        module.fail_json(msg=str(err), **extra)
    finally:
        if client is not None:
            client.close()
    module.exit_json(**result)
