#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Claim an Uptime Kuma 2.x instance: its first admin, and the admin's password kept as given."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_admin
short_description: Claim Uptime Kuma with its first admin and keep the admin's password
version_added: "0.1.0"
description:
  - A new Uptime Kuma has no user, and whoever opens its web page first becomes its admin. This
    module creates that first admin from O(username) and O(password) (Uptime Kuma's C(setup)).
  - On an instance that is already claimed it logs in as O(username) with O(password) and
    changes nothing.
  - When the login fails and O(previous_password) is given, it logs in with that one and changes
    the password to O(password) (a rotation). Without O(previous_password) a wrong password is an
    error that says how to rotate; the module never resets a password by any other way.
  - Waits up to O(wait) seconds for the server to answer, so it can run right after a start.
options:
  url:
    description:
      - Base URL of the Uptime Kuma server.
    type: str
    default: http://127.0.0.1:3001
  username:
    description:
      - The admin's user name.
    type: str
    required: true
  password:
    description:
      - The admin's password. Refused when empty, a placeholder such as C(change-me), shorter
        than 12 characters, or without letters and a digit or symbol (Uptime Kuma's own check
        lets much weaker passwords through).
    type: str
    required: true
  previous_password:
    description:
      - The password the admin has now, to rotate it to O(password).
    type: str
  totp:
    description:
      - The current two-factor code, when the admin has two-factor authentication on.
    type: str
  token_file:
    description:
      - File on the host that runs the module where the login token is kept (mode 0600); see
        the other uptime_kuma_* modules. Written after the claim, a login or a rotation.
    type: path
  wait:
    description:
      - Seconds to wait for the server to answer before the first call.
    type: int
    default: 60
extends_documentation_fragment:
  - vigil.observability._transport
attributes:
  check_mode:
    description: Logs in and reads, sends no write; C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: Nothing to show; passwords are never shown.
    support: none
requirements:
  - python-socketio (with its client extras) on the host that runs the module; Debian's
    C(python3-socketio) and C(python3-websocket).
notes:
  - Uptime Kuma allows 20 password logins a minute for the whole server; a wrong password counts.
author:
  - vigil.observability maintainers (@vigil)
"""

EXAMPLES = r"""
- name: Claim Uptime Kuma on its own host before its port is reachable from outside
  vigil.observability.uptime_kuma_admin:
    url: http://127.0.0.1:3001
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /etc/uptime-kuma/admin.token

- name: Rotate the admin password
  vigil.observability.uptime_kuma_admin:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    previous_password: "{{ vault_uptime_kuma_admin_password_previous }}"
"""

RETURN = r"""
action:
  description: What was done, V(claimed) (first admin created), V(rotated) (password changed) or V(none).
  returned: always
  type: str
  sample: claimed
version:
  description: The Uptime Kuma version the server reports after the login (not known before a claim in check mode).
  returned: when logged in
  type: str
  sample: 2.5.3
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma.
  returned: always
  type: dict
  sample: {logins: 1, round_trips: 1, writes: 0}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils._args import TRANSPORT_SPEC
from ansible_collections.vigil.observability.plugins.module_utils._errors import VigilError
from ansible_collections.vigil.observability.plugins.module_utils._kuma import KumaError, wait_ready
from ansible_collections.vigil.observability.plugins.module_utils._kuma_module import KUMA_CONNECTION, write_token_file, run
from ansible_collections.vigil.observability.plugins.module_utils._passwords import password_problem


def _connect(params):
    return wait_ready(params["url"], wait=params["wait"], timeout=params["timeout"],
                      validate_certs=params["validate_certs"], ca_path=params.get("ca_path"))


def _login(client, username, password, totp):
    try:
        return client.login(username, password, totp=totp), None
    except KumaError as err:
        if err.server_message == "authIncorrectCreds":
            return None, err
        raise


def claim(module, client):
    params = module.params
    username, password = params["username"], params["password"]
    result = dict(changed=False, action="none")
    if client.need_setup():
        result.update(changed=True, action="claimed")
        if module.check_mode:
            return result
        client.setup(username, password)
        token = client.login(username, password, totp=params.get("totp"))
    else:
        token, failure = _login(client, username, password, params.get("totp"))
        if failure is not None:
            previous = params.get("previous_password")
            if not previous:
                raise VigilError(
                    "Uptime Kuma is claimed, but logging in as %r failed: incorrect username or password. To rotate "
                    "the admin password, pass the current one as previous_password (role: "
                    "uptime_kuma_admin_previous_password)" % username)
            token, failure = _login(client, username, previous, params.get("totp"))
            if failure is not None:
                raise VigilError("logging in as %r failed with both the password and previous_password: "
                                 "incorrect username or password" % username)
            result.update(changed=True, action="rotated")
            if module.check_mode:
                return _with_version(result, client)
            client.change_password(previous, password)
            # The old token dies with the old password: log in again for a fresh one.
            token = client.login(username, password, totp=params.get("totp"))
    if params.get("token_file") and token and not module.check_mode:
        write_token_file(params["token_file"], token)
    return _with_version(result, client)


def _with_version(result, client):
    # The full info (with the version) follows a login.
    version = (client.info or {}).get("version")
    if version:
        result["version"] = version
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            url=dict(type="str", default="http://127.0.0.1:3001"),
            username=dict(type="str", required=True),
            password=dict(type="str", required=True, no_log=True),
            previous_password=dict(type="str", no_log=True),
            totp=KUMA_CONNECTION["totp"],
            token_file=KUMA_CONNECTION["token_file"],
            wait=dict(type="int", default=60),
            **TRANSPORT_SPEC
        ),
        supports_check_mode=True,
    )
    problem = password_problem(module.params["password"], "password")
    if problem:
        module.fail_json(msg="refusing the Uptime Kuma admin password: %s" % problem)
    run(module, lambda client: claim(module, client), connector=_connect)


if __name__ == "__main__":
    main()
