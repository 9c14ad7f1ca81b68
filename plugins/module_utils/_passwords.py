# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's one rule for passwords it sets on a service: what is too weak or a placeholder.

Used by the uptime_kuma_admin module and, through the ``password_problem`` filter, by the roles'
preflight checks. Uptime Kuma's own check only refuses the very weakest passwords (``short1``
passes it), so this rule is stricter.
"""

from __future__ import annotations

import re

MIN_LENGTH = 12

# Values of inventories/example/group_vars/all/vault.yml.example and other well-known stand-ins.
PLACEHOLDERS = ("change-me", "changeme", "change_me", "changethis", "password", "passw0rd", "secret", "admin",
                "example", "xxxxxxxx", "todo", "fixme", "replace-me", "please-change")


def password_problem(password, what="password"):
    """'' when ``password`` is acceptable, else one sentence saying what is wrong with it."""
    if password is None or str(password) == "":
        return "%s is empty" % what
    text = str(password)
    folded = re.sub(r"[^a-z0-9]", "", text.lower())
    for placeholder in PLACEHOLDERS:
        if text.lower() == placeholder or folded == re.sub(r"[^a-z0-9]", "", placeholder) or text.lower().startswith("change-me"):
            return "%s is the placeholder %r: set a real secret (keep it in Ansible Vault)" % (what, text)
    if len(text) < MIN_LENGTH:
        return "%s is too short: %d characters, at least %d are needed" % (what, len(text), MIN_LENGTH)
    if not (re.search(r"[A-Za-z]", text) and re.search(r"[^A-Za-z]", text)):
        return "%s needs letters and at least one digit or symbol" % what
    return ""
