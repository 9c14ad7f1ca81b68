# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack scenario's hostile neighbour. ``listeners``: the listening sockets of this host (from
/proc/net, as `ss -ltnu` shows them), as JSON. Without arguments, run on a container of the same network that is not in
the inventory, it tries every port the stack's hosts listen on, without and with credentials.

Input (JSON on stdin): ``{"probes": [{host, address, port, proto, service, scheme, path, method,
body, headers, user, password}]}``; one probe per listening socket the hosts reported (``ss``),
``service`` empty for a socket no one expected. Output (JSON on stdout): the probes with
``without`` and ``with`` outcomes:

- ``refused``: the TCP connection is refused (or nothing answers on UDP);
- ``401``/``403``/...: the HTTP status (TLS without certificate verification: what is tested is
  who may talk, not who the server is; the scenario checks verification from the clients);
- ``open``: a TCP port that takes the connection but is not probed over HTTP (``scheme: tcp``);
- ``error: ...``: anything else.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import ssl
import sys

TIMEOUT = 5


def _http(probe, credentials):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if probe["scheme"] == "https":
        conn = http.client.HTTPSConnection(probe["address"], probe["port"], timeout=TIMEOUT, context=context)
    else:
        conn = http.client.HTTPConnection(probe["address"], probe["port"], timeout=TIMEOUT)
    headers = dict(probe.get("headers") or {})
    body = probe.get("body")
    if body is not None and not isinstance(body, str):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if credentials:
        token = base64.b64encode(("%s:%s" % (probe["user"], probe["password"])).encode()).decode()
        headers["Authorization"] = "Basic " + token
    try:
        conn.request(probe.get("method") or "GET", probe.get("path") or "/", body=body, headers=headers)
        return str(conn.getresponse().status)
    finally:
        conn.close()


def _tcp(probe):
    with socket.create_connection((probe["address"], probe["port"]), timeout=TIMEOUT):
        return "open"


def _udp(probe):
    """A UDP socket answers nothing; what counts is whether it is reachable: an ICMP port
    unreachable (refused) when nothing listens on that address."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect((probe["address"], probe["port"]))
        try:
            sock.send(b"\0")
            sock.recv(1)
            return "open"
        except ConnectionRefusedError:
            return "refused"
        except socket.timeout:
            return "open"


def outcome(probe, credentials):
    try:
        if probe["proto"] == "udp":
            return _udp(probe)
        if probe.get("scheme") in ("http", "https"):
            return _http(probe, credentials)
        return _tcp(probe)
    except ConnectionRefusedError:
        return "refused"
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return "error: %s" % (str(exc) or type(exc).__name__)


# /proc/net/<proto>: the socket states that mean "listening" (TCP LISTEN, UDP unconnected).
_LISTEN_STATE = {"tcp": "0A", "tcp6": "0A", "udp": "07", "udp6": "07"}


def _address(hex_address):
    """The text of a /proc/net address: 0100007F -> 127.0.0.1 (IPv4 in host byte order)."""
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def listeners():
    """Every listening TCP and UDP socket of this host (what `ss -ltnu` shows), from /proc."""
    found = set()
    for name, state in _LISTEN_STATE.items():
        try:
            with open("/proc/net/" + name, encoding="ascii") as handle:
                lines = handle.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != state:
                continue
            address, port = fields[1].rsplit(":", 1)
            found.add((name.rstrip("6"), _address(address), int(port, 16)))
    return [{"proto": proto, "address": address, "port": port} for proto, address, port in sorted(found)]


def main():
    if sys.argv[1:] == ["listeners"]:
        json.dump({"listeners": listeners()}, sys.stdout)
        return
    probes = json.load(sys.stdin)["probes"]
    results = []
    for probe in probes:
        result = dict(probe)
        result.pop("password", None)
        result["without"] = outcome(probe, False)
        result["with"] = outcome(probe, True) if probe.get("user") else ""
        results.append(result)
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
