"""Open Uptime Kuma's Socket.IO WebSocket through an HTTPS reverse proxy and report what came back.

Usage: python3 ws_probe.py HOST PORT CAFILE [--no-upgrade]
Sends ``GET /socket.io/?EIO=4&transport=websocket`` over TLS (verified against CAFILE, SNI HOST)
with the WebSocket upgrade headers (or, with --no-upgrade, without them) and prints one JSON
object: the status line, the response headers, whether Sec-WebSocket-Accept matches the key sent
(RFC 6455), and the payload of the first WebSocket frame.
"""
import base64
import hashlib
import json
import os
import socket
import ssl
import sys

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def main():
    host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    upgrade = "--no-upgrade" not in sys.argv[4:]
    key = base64.b64encode(os.urandom(16)).decode()
    headers = ["GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", "Host: %s" % host]
    if upgrade:
        headers += ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: %s" % key,
                    "Sec-WebSocket-Version: 13"]
    else:
        headers += ["Connection: close"]
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection((host, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as conn:
            conn.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            head, rest = (data.split(b"\r\n\r\n", 1) + [b""])[:2]
            lines = head.decode("latin-1").split("\r\n")
            response = {}
            for line in lines[1:]:
                name, value = (line.split(":", 1) + [""])[:2]
                response[name.strip().lower()] = value.strip()
            frame = ""
            if lines[0].split(" ")[1:2] == ["101"]:
                while len(rest) < 2 or len(rest) < 2 + (rest[1] & 0x7F):
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    rest += chunk
                if len(rest) >= 2 and rest[1] & 0x7F < 126:
                    frame = rest[2:2 + (rest[1] & 0x7F)].decode("utf-8", "replace")
                conn.sendall(bytes([0x88, 0x80]) + os.urandom(4))  # masked close frame
            else:
                while True:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    rest += chunk
                frame = rest.decode("utf-8", "replace")
    expected = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    print(json.dumps({
        "status_line": lines[0],
        "status": int(lines[0].split(" ")[1]) if len(lines[0].split(" ")) > 1 else 0,
        "headers": response,
        "accept_ok": response.get("sec-websocket-accept") == expected,
        "payload": frame,
    }))


if __name__ == "__main__":
    main()
