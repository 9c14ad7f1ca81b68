# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_service_account
short_description: Manage a Grafana service account and one token of it
version_added: 0.1.0
description:
  - Creates or deletes a Grafana service account identified by its O(name).
  - With O(token_name), keeps one working token of that name on the account. The token the
    caller already holds (O(current_token), for example read from a file) is kept when Grafana
    accepts it and the account has a token of that name; otherwise, or with O(rotate=true), the
    token of that name is deleted and a new one is created and returned in RV(token) (RV(token_created) is true).
  - Idempotent; supports check mode and diff.
author:
  - vigil.observability maintainers (@vigil)
options:
  name:
    description:
      - Name of the service account (unique in the organisation).
    type: str
    required: true
  role:
    description:
      - Organisation role of the account when it is created. An existing account with another
        role is left as it is, with a warning.
    type: str
    choices: [Viewer, Editor, Admin, None]
    default: Viewer
  is_disabled:
    description:
      - Create the account disabled. An existing account keeps its state, with a warning when it differs.
    type: bool
    default: false
  token_name:
    description:
      - Name of the token to keep on the account. Without it no token is read or written.
    type: str
  current_token:
    description:
      - The token the caller holds for O(token_name). It is kept when Grafana accepts it.
      - Omitted or empty, a new token is created (the key of an existing token cannot be read back).
    type: str
  rotate:
    description:
      - Replace the token named O(token_name) even when O(current_token) works.
    type: bool
    default: false
  seconds_to_live:
    description:
      - Lifetime of a new token in seconds; V(0) never expires.
    type: int
    default: 0
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._state
attributes:
  check_mode:
    description: No request that changes anything is sent in check mode; C(changed) is what a real run would report, and RV(token) is null
      when a token would be created.
    support: full
  diff_mode:
    description: Shows the account's name, role, state and token name before and after (never a token).
    support: full
notes:
  - Needs an organisation administrator (basic authentication or an Admin token).
  - Use C(no_log) on the task, because RV(token) is a secret.
seealso:
  - module: vigil.observability.grafana_folder
"""

EXAMPLES = r"""
- name: Read the token kept on the host
  ansible.builtin.slurp:
    src: /etc/grafana/ansible.token
  register: stored
  failed_when: false
  no_log: true

- name: A provisioning account with a working token
  vigil.observability.grafana_service_account:
    url: http://127.0.0.1:3000
    username: admin
    password: "{{ grafana_admin_password }}"
    name: ansible
    role: Admin
    token_name: ansible
    current_token: "{{ stored.content | default('') | b64decode | trim }}"
  register: account
  no_log: true

- name: Keep a new token
  ansible.builtin.copy:
    content: "{{ account.token }}"
    dest: /etc/grafana/ansible.token
    mode: "0600"
  when: account.token_created
  no_log: true
"""

RETURN = r"""
service_account:
  description: The account as Grafana stores it after the run (predicted in check mode); null after O(state=absent).
  returned: always
  type: dict
  sample: {"id": 2, "uid": "b1c2", "name": "ansible", "login": "sa-1-ansible", "role": "Admin", "is_disabled": false}
token:
  description:
    - The new token when one was created. Null when O(current_token) is kept (the caller already holds it; Ansible would mask
      it anyway, as the value of a C(no_log) option), without O(token_name), and in check mode.
  returned: always
  type: str
token_created:
  description: Whether a new token was (or in check mode would be) created.
  returned: always
  type: bool
action:
  description: What was (or in check mode would be) done to the account.
  returned: always
  type: str
  sample: create
diff:
  description: Before and after, exactly as compared.
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"name": "ansible", "role": "Admin", "is_disabled": false, "token": "ansible"}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _grafana_folders, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError

COLLECTION = "/api/serviceaccounts"


def account_path(account):
    return COLLECTION + "/" + quote_segment(account["id"])


def find_account(client, name):
    """The account named ``name`` (exact match; Grafana's search matches substrings), or None."""
    page = 1
    while True:
        answer = client.get(COLLECTION + "/search", query={"query": name, "perpage": 100, "page": page}) or {}
        batch = answer.get("serviceAccounts") or []
        for account in batch:
            if account.get("name") == name:
                return account
        if len(batch) < 100:
            return None
        page += 1


def account_view(raw):
    return {"name": raw.get("name"), "role": raw.get("role"), "is_disabled": bool(raw.get("isDisabled"))}


def account_summary(raw):
    out = account_view(raw)
    out.update({"id": raw.get("id"), "uid": raw.get("uid"), "login": raw.get("login")})
    return out


def token_works(params, token):
    """True when Grafana accepts ``token`` (a read any role may do: the first top-level folder)."""
    probe = _client.GrafanaClient(url=params["url"], token=token, validate_certs=params["validate_certs"],
                                  ca_path=params["ca_path"], timeout=params["timeout"], read_only=True)
    try:
        _grafana_folders.list_folders(probe, page_size=1, max_pages=1)
    except ApiError as err:
        if err.status in (401, 403):
            return False
        raise
    return True


def build_resource(params):
    name = params["name"]

    def create(client, desired, current):
        return client.post(COLLECTION, {"name": name, "role": params["role"], "isDisabled": params["is_disabled"]})

    def delete(client, desired, current):
        return client.delete(account_path(current))

    return _resource.Resource(
        "service account", read=lambda client: find_account(client, name), create=create, delete=delete,
        # Role and state are set on creation only; an existing account is never rewritten.
        view=lambda raw: {"name": raw.get("name")}, summary=account_summary,
        predict=lambda desired, current: account_summary(current) if current else
        {"id": None, "uid": None, "login": None, "name": name, "role": params["role"], "is_disabled": params["is_disabled"]},
        label="service account %r" % name)


def ensure_token(client, params, account, check_mode):
    """(new token or None, created?) for the account; ``account`` None means it is still to be created."""
    name = params["token_name"]
    current = params["current_token"] or ""
    tokens = []
    if account is not None and account.get("id") is not None:
        try:
            tokens = client.get(account_path(account) + "/tokens") or []
        except ApiError as err:
            raise err.with_context("the tokens of service account %r could not be read" % params["name"])
    named = [t for t in tokens if t.get("name") == name]
    if current and named and not params["rotate"] and token_works(params, current):
        return None, False
    if check_mode:
        return None, True
    try:
        for token in named:
            client.delete(account_path(account) + "/tokens/" + quote_segment(token["id"]))
        body = {"name": name}
        if params["seconds_to_live"]:
            body["secondsToLive"] = params["seconds_to_live"]
        created = client.post(account_path(account) + "/tokens", body)
    except ApiError as err:
        raise err.with_context("the token %r of service account %r could not be replaced" % (name, params["name"]))
    return created["key"], True


def main():
    module = AnsibleModule(**_args.module_kwargs(
        _args.grafana_spec(
            name=dict(type="str", required=True),
            role=dict(type="str", default="Viewer", choices=["Viewer", "Editor", "Admin", "None"]),
            is_disabled=dict(type="bool", default=False),
            token_name=dict(type="str", no_log=False),
            current_token=dict(type="str", no_log=True),
            rotate=dict(type="bool", default=False),
            seconds_to_live=dict(type="int", default=0),
        ),
    ))

    def work():
        params = module.params
        params["name"] = (params["name"] or "").strip()
        if not params["name"]:
            module.fail_json(msg="name must not be empty")
        if params["seconds_to_live"] < 0:
            module.fail_json(msg="seconds_to_live must be 0 (never expires) or more, got %d" % params["seconds_to_live"])
        client = _client.GrafanaClient.from_module(module)
        result = _resource.ensure(client, build_resource(params), {"name": params["name"]}, params["state"],
                                  module.check_mode)
        account = result.object
        if params["state"] == "present" and result.current is not None:
            for key, wanted in (("role", params["role"]), ("is_disabled", params["is_disabled"])):
                if account.get(key) != wanted:
                    module.warn("service account %r has %s %r, not %r: it is set on creation only and left as it is"
                                % (params["name"], key, account.get(key), wanted))
        token, token_created = None, False
        if params["state"] == "present" and params["token_name"]:
            token, token_created = ensure_token(client, params, account, module.check_mode)
        changed = result.changed or token_created
        out = dict(changed=changed, action=result.action, service_account=account, token=token,
                   token_created=token_created)
        if module._diff:
            before = dict(account_view(result.current), token=params["token_name"]) if result.current else {}
            after = {}
            if params["state"] == "present":
                after = {k: account[k] for k in ("name", "role", "is_disabled")}
                after["token"] = params["token_name"]
            if token_created:
                before.pop("token", None)
                after["token"] = "%s (new)" % params["token_name"]
            out["diff"] = {"before": before, "after": after}
        return out

    _resource.run(module, work)


if __name__ == "__main__":
    main()
