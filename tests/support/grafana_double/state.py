# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The double's state: organisations, users, service accounts and tokens."""

from __future__ import annotations

import copy
import threading

from .common import DEFAULT_POLICY, DEFAULT_RECEIVER, VERSION, new_uid, now, slugify


# --------------------------------------------------------------------------------------------
# state
# --------------------------------------------------------------------------------------------

class Org(object):
    def __init__(self, org_id, name):
        self.id = org_id
        self.name = name
        self.dashboards = {}   # uid -> record
        self.versions = {}     # uid -> [version records]
        self.folders = {}      # uid -> record
        self.datasources = {}  # uid -> record
        self.receivers = [{"uid": new_uid(), "name": DEFAULT_RECEIVER, "type": "email",
                           "settings": {"addresses": "<example@email.com>"},
                           "disableResolveMessage": False, "provenance": ""}]
        self.policy = copy.deepcopy(DEFAULT_POLICY)
        self.policy_provenance = ""
        self.rules = {}        # uid -> rule
        self.group_intervals = {}  # (folderUID, group) -> seconds
        self.mute_timings = {}  # name -> record
        self.templates = {}     # name -> record
        self.service_accounts = {}  # id -> record


class State(object):
    """Everything the double knows; one lock serialises requests."""

    def __init__(self, admin_user="admin", admin_password="admin", version=VERSION):
        self.lock = threading.RLock()
        self.version = version
        self.hide_version = False
        self.db_failing = False
        self.min_refresh_interval = "5s"
        # legacy behaviours
        self.legacy_duplicate_uid_500 = False   # contact point POST with a used uid -> 500
        self.legacy_name_exists = False         # <= 11.2: dashboard/folder title unique per folder
        self.legacy_provenance_500 = False      # older contact points: 500 on api -> none
        self.legacy_template_wrap = False       # older templates: wrap content without define
        self.next_id = 1
        self.orgs = {1: Org(1, "Main Org.")}
        self.users = {}
        self.tokens = {}
        self.add_user(admin_user, admin_password, "Admin", org_id=1, server_admin=True)

    def ident(self):
        value = self.next_id
        self.next_id += 1
        return value

    def add_org(self, name):
        org_id = max(self.orgs) + 1
        self.orgs[org_id] = Org(org_id, name)
        return org_id

    def add_user(self, login, password, role="Viewer", org_id=1, server_admin=False):
        self.users[login] = {"id": self.ident(), "login": login, "password": password,
                             "server_admin": server_admin, "orgs": {org_id: role}, "current_org": org_id}
        return self.users[login]

    def add_service_account(self, org_id, name, role="Admin", disabled=False):
        org = self.orgs[org_id]
        sa_id = self.ident()
        org.service_accounts[sa_id] = {
            "id": sa_id, "uid": new_uid()[:14], "name": name,
            "login": "sa-%d-%s" % (org_id, slugify(name)), "orgId": org_id, "role": role,
            "isDisabled": bool(disabled), "tokens": []}
        return org.service_accounts[sa_id]

    def add_token(self, token, role="Admin", org_id=1, name=None):
        """A service-account token valid for ``org_id`` with ``role`` (helper for tests/CLI)."""
        sa = self.add_service_account(org_id, name or "sa-%d" % (len(self.tokens) + 1), role)
        self._attach_token(sa, name or "token", token, None)
        return sa

    def _attach_token(self, sa, name, key, seconds_to_live):
        token = {"id": self.ident(), "name": name, "key": key, "created": now(),
                 "secondsToLive": seconds_to_live or 0, "isRevoked": False}
        sa["tokens"].append(token)
        self.tokens[key] = (sa["orgId"], sa["id"])
        return token
