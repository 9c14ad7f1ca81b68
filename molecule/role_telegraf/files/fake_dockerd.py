"""A Docker Engine API double on a unix socket, for the role_telegraf scenario.

Answers GET /_ping, /version, /info and /containers/json the way dockerd does (a fixed engine
with two containers) on SOCKET (root:docker 0660, like Docker's own socket), so the scenario can
prove that Telegraf reaches the socket through its docker group membership under the hardened
unit. Test double only: no Docker here.
"""
import grp
import http.server
import json
import os
import socketserver
import sys

# fake_dockerd.py SOCKET GROUP
SOCKET = sys.argv[1] if len(sys.argv) > 1 else "/run/docker.sock"
INFO = {"ID": "VIGIL:TEST", "Name": "fake-dockerd", "ServerVersion": "27.5.1", "Containers": 2,
        "ContainersRunning": 1, "ContainersPaused": 0, "ContainersStopped": 1, "Images": 3, "NCPU": 2,
        "MemTotal": 2147483648, "Driver": "overlay2"}
CONTAINERS = [{"Id": "0123456789ab" * 4 + "0" * 16, "Names": ["/ocis"], "Image": "owncloud/ocis:7",
               "State": "running", "Status": "Up 2 hours", "Labels": {}}]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def address_string(self):
        return "unix"

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/v1.") or path.startswith("/v2."):
            path = "/" + path.split("/", 2)[2]
        body = {"/_ping": "OK", "/version": {"Version": INFO["ServerVersion"], "ApiVersion": "1.47"},
                "/info": INFO, "/containers/json": CONTAINERS}.get(path)
        if body is None:
            self.send_response(404)
            payload = json.dumps({"message": "page not found"}).encode()
        else:
            self.send_response(200)
            payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if os.path.exists(SOCKET):
    os.unlink(SOCKET)
server = Server(SOCKET, Handler)
os.chown(SOCKET, 0, grp.getgrnam(sys.argv[2]).gr_gid if len(sys.argv) > 2 else 0)
os.chmod(SOCKET, 0o660)
server.serve_forever()
