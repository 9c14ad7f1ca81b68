# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules that watch a systemd unit read of it (service_ready, service_state)."""

from __future__ import annotations

PROPERTIES = ("LoadState", "ActiveState", "SubState", "Result", "NRestarts", "MainPID", "UnitFileState")

# CAP_SYS_PTRACE is capability 19 of the effective set.
_CAP_SYS_PTRACE = 19


def parse_show(text, properties=PROPERTIES):
    """The properties of ``systemctl show -p ...`` output (``Key=value`` lines)."""
    state = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key in properties:
            state[key] = value.strip()
    return state


def describe(unit, state):
    """``<unit> is <active>/<sub> (result <result>, <n> restarts)``."""
    return "%s is %s/%s (result %s, %s restarts)" % (
        unit, state.get("ActiveState", "?"), state.get("SubState", "?"), state.get("Result", "?"), state.get("NRestarts", "?"))


def running(state):
    """Whether the unit is active with a process (``MainPID`` set)."""
    return state.get("ActiveState") == "active" and state.get("MainPID") not in (None, "", "0")


def serving(state, url, status_codes, probe, failure):
    """Whether the unit serves now, in one look: it runs (running) and, with a ``url``, ``probe()``
    returns one of ``status_codes`` (an exception of type ``failure`` is no answer)."""
    if not running(state):
        return False
    if not url:
        return True
    try:
        return probe() in status_codes
    except failure:
        return False


def show(module, systemctl, unit, properties=PROPERTIES):
    """The unit's properties; the module fails naming the unit when systemctl cannot answer."""
    rc, out, err = module.run_command([systemctl, "show", "-p", ",".join(properties), unit])
    if rc != 0:
        module.fail_json(msg="%s: systemctl show failed: %s" % (unit, (err or out).strip()))
    return parse_show(out, properties)


def not_active(module, unit):
    """Why ``unit`` does not run on this host (one line), or None when it is active: what a module
    that only has work to do where a service runs checks first (systemd absent counts as not active)."""
    systemctl = module.get_bin_path("systemctl")
    if not systemctl:
        return "%s: this host has no systemctl, so the unit does not run here" % unit
    state = show(module, systemctl, unit, ("LoadState", "ActiveState", "SubState"))
    if state.get("ActiveState") == "active":
        return None
    return "%s is %s/%s (%s) on this host: nothing was sent" % (
        unit, state.get("ActiveState", "?"), state.get("SubState", "?"), state.get("LoadState", "?"))


def skip_unless_active(module, unit, **result):
    """With a ``unit`` (a module's option of that name), end the module as skipped, ``result`` its
    other keys, when the unit does not run on this host: nothing is sent to the service."""
    if unit:
        reason = not_active(module, unit)
        if reason:
            module.exit_json(changed=False, skipped=True, msg=reason, **result)


def private_users_possible(status_text):
    """Whether systemd (PID 1, whose /proc status is given) can set up PrivateUsers=: its child must
    still see the service's process in the ProtectProc=invisible /proc, which needs CAP_SYS_PTRACE
    (a container started without it cannot, and the unit fails with status 217/USER, systemd
    issue 29656)."""
    for line in (status_text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key == "CapEff":
            try:
                return bool(int(value.strip(), 16) >> _CAP_SYS_PTRACE & 1)
            except ValueError:
                return False
    return False
