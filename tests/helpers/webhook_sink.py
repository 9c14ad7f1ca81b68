# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Mattermost-compatible incoming-webhook sink that records every delivery, for tests.

Mattermost incoming webhooks accept Slack-style JSON payloads (``text``, ``attachments``,
``channel``, ``username``, ``icon_url``/``icon_emoji``); Alertmanager's ``slack_configs`` and
``webhook_configs`` (and Uptime Kuma's Mattermost provider) post such payloads. This sink accepts
a POST on ANY path, answers like Mattermost (``200``, body ``ok``), and records the request.

Interface (stdlib only, Python 3.7+):

- ``python3 webhook_sink.py --port 8065 [--bind 0.0.0.0] [--lifetime 3600]``: serves until
  ``--lifetime`` seconds have passed (tests never leave it behind), then exits 0.
- ``POST /<any path>``: recorded. A body that is not JSON is recorded as ``raw`` text; an
  ``application/x-www-form-urlencoded`` body with a ``payload`` field (Mattermost's other form)
  is decoded too.
- ``GET /messages``: JSON list of every recorded request, oldest first, each
  ``{"id", "time" (unix seconds), "path", "content_type", "json" (or null), "raw" (or null),
  "text", "channel", "username"}``; ``text`` joins the payload's ``text`` and every attachment's
  ``title``, ``pretext`` and ``text`` with newlines, so a test can search one string.
- ``GET /messages?path=/hooks/x``: only the requests posted to that path.
- ``GET /count``: ``{"count": N}``.  ``DELETE /messages``: forget everything (``{"deleted": N}``).
- ``GET /-/healthy``: ``200 ok``.
- Any path can be made to fail: ``--fail-path /hooks/broken`` answers 500 there (still recorded),
  to test notification-failure handling.
"""
from __future__ import annotations

import argparse
import http.server
import json
import threading
import time
import urllib.parse

_LOCK = threading.Lock()
_MESSAGES = []


def _summary(payload):
    if not isinstance(payload, dict):
        return "", None, None
    parts = [str(payload.get("text") or "")]
    for attachment in payload.get("attachments") or []:
        if isinstance(attachment, dict):
            parts.extend(str(attachment.get(key) or "") for key in ("pretext", "title", "text"))
    return "\n".join(p for p in parts if p), payload.get("channel"), payload.get("username")


class Handler(http.server.BaseHTTPRequestHandler):
    fail_paths = ()
    server_version = "vigil-webhook-sink/1"

    def log_message(self, fmt, *args):  # quiet: the tests read /messages
        pass

    def _reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        content_type = self.headers.get("Content-Type", "")
        raw = body.decode("utf-8", "replace")
        payload = None
        try:
            if content_type.startswith("application/x-www-form-urlencoded"):
                payload = json.loads(urllib.parse.parse_qs(raw).get("payload", [""])[0])
            else:
                payload = json.loads(raw)
        except ValueError:
            payload = None
        text, channel, username = _summary(payload)
        path = urllib.parse.urlsplit(self.path).path
        with _LOCK:
            entry = {"id": len(_MESSAGES) + 1, "time": time.time(), "path": path, "content_type": content_type,
                     "json": payload, "raw": None if payload is not None else raw,
                     "text": text, "channel": channel, "username": username}
            _MESSAGES.append(entry)
        if path in self.fail_paths:
            self._reply(500, "failing on purpose", "text/plain")
        else:
            self._reply(200, "ok", "text/plain")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/-/healthy":
            self._reply(200, "ok", "text/plain")
        elif url.path == "/messages":
            wanted = urllib.parse.parse_qs(url.query).get("path")
            with _LOCK:
                found = [m for m in _MESSAGES if not wanted or m["path"] in wanted]
            self._reply(200, json.dumps(found))
        elif url.path == "/count":
            with _LOCK:
                self._reply(200, json.dumps({"count": len(_MESSAGES)}))
        else:
            self._reply(404, json.dumps({"error": "unknown path %s" % url.path}))

    def do_DELETE(self):
        if urllib.parse.urlsplit(self.path).path != "/messages":
            self._reply(404, json.dumps({"error": "unknown path"}))
            return
        with _LOCK:
            count = len(_MESSAGES)
            del _MESSAGES[:]
        self._reply(200, json.dumps({"deleted": count}))


def serve(bind, port, lifetime, fail_paths=()):
    """Serve until ``lifetime`` seconds have passed; return the server (for in-process tests)."""
    Handler.fail_paths = tuple(fail_paths)
    server = http.server.ThreadingHTTPServer((bind, port), Handler)
    server.daemon_threads = True
    stopper = threading.Timer(lifetime, server.shutdown)
    stopper.daemon = True
    stopper.start()
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8065)
    parser.add_argument("--lifetime", type=float, default=3600.0, help="seconds before the sink exits by itself")
    parser.add_argument("--fail-path", action="append", default=[], help="answer 500 to POSTs on this path")
    args = parser.parse_args(argv)
    server = serve(args.bind, args.port, args.lifetime, args.fail_path)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
