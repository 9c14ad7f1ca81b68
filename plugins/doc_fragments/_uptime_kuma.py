# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every uptime_kuma_* module shares: its login options (mirrors KUMA_CONNECTION in
module_utils/_kuma_module.py, whose transport options ``_transport`` documents), requirements,
notes and attributes."""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Uptime Kuma 2.x server, for example V(http://127.0.0.1:3001) (the server
        itself, as the C(vigil.observability.uptime_kuma) role runs it behind its reverse proxy) or
        V(https://status.example.com).
      - Falls back to the E(UPTIME_KUMA_URL) environment variable.
    type: str
    default: http://127.0.0.1:3001
  username:
    description:
      - User to log in as, together with O(password).
      - Falls back to the E(UPTIME_KUMA_USERNAME) environment variable.
    type: str
  password:
    description:
      - Password of O(username). Uptime Kuma allows 20 password logins a minute for the whole
        server; keep the session's token in O(token_file) when many tasks run.
      - Falls back to the E(UPTIME_KUMA_PASSWORD) environment variable.
    type: str
  totp:
    description:
      - The current two-factor code, when the user has two-factor authentication on.
    type: str
  token:
    description:
      - A login token (JWT) that Uptime Kuma handed out at an earlier login. A token login is
        not rate limited; a token stops working when the user's password changes.
      - Falls back to the E(UPTIME_KUMA_TOKEN) environment variable.
    type: str
  token_file:
    description:
      - File on the host that runs the module where the login token is kept (mode 0600). The
        module logs in with the token in it first and falls back to O(username)/O(password);
        a password login writes the new token there.
    type: path
requirements:
  - python-socketio (with its client extras, websocket-client and requests) on the host that runs
    the module; on Debian the packages C(python3-socketio) and C(python3-websocket). The
    C(vigil.observability.uptime_kuma) role installs them on the Uptime Kuma server.
notes:
  - Uptime Kuma 2.x has no REST API for its configuration; the modules speak socket.io to it as
    its web app does. A run that changes nothing sends no write (the result's RV(requests) counts
    logins, round trips and writes).
  - Secrets (passwords, tokens, webhook URLs) never appear in a result or a diff.
attributes:
  check_mode:
    description: No write is sent in check mode; C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: Shows the object before and after, as RV(diff) describes it.
    support: full
"""
