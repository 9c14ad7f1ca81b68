"""Stand-in for the services behind the gateway in molecule/role_gateway: Loki's labels and push
API on one port, Jaeger's query API below /jaeger on another. Every answer says which double
served it and whether an Authorization header reached it."""
import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = {
    "loki": {("GET", "/loki/api/v1/labels"): (200, {"status": "success", "data": ["job"]}),
             ("POST", "/loki/api/v1/push"): (204, None),
             ("GET", "/ready"): (200, {"ready": True})},
    "jaeger": {("GET", "/jaeger/api/services"): (200, {"data": ["vigil-backend"]}),
               ("GET", "/ready"): (200, {"ready": True})},
}


def handler_for(kind):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            status, body = ROUTES[kind].get((method, self.path.split("?", 1)[0]), (404, {"error": "not found"}))
            self.send_response(status)
            self.send_header("X-Vigil-Double", kind)
            self.send_header("X-Vigil-Saw-Authorization", "yes" if self.headers.get("Authorization") else "no")
            if body is None:
                self.end_headers()
                return
            data = json.dumps(dict(body, double=kind)).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(ROUTES))
    parser.add_argument("port", type=int)
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(args.kind)).serve_forever()


if __name__ == "__main__":
    main()
