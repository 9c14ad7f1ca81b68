"""Serve the local test mirror over HTTP on loopback, for the controller's downloads.

``--ensure`` starts a detached server unless one already answers for this mirror, waits until it
answers and records its URL in ``<root>.url``; the server stops by itself after ``--idle`` seconds
without a request (and after ``--lifetime`` seconds in any case), so no test leaves it behind.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import threading
import time
import urllib.request


class Handler(http.server.SimpleHTTPRequestHandler):
    last_request = [time.time()]

    def log_message(self, fmt, *args):  # quiet: Ansible reports what it fetched
        pass

    def do_GET(self):  # noqa: N802 (http.server naming)
        self.last_request[0] = time.time()
        super().do_GET()

    def do_HEAD(self):  # noqa: N802
        self.last_request[0] = time.time()
        super().do_HEAD()


def answers(url, timeout=2):
    try:
        with urllib.request.urlopen(url + "/.stamps/", timeout=timeout) as resp:  # noqa: S310 (loopback)
            return resp.status == 200
    except OSError:
        return False


def serve(root, host, port, idle, lifetime, url_file):
    server = http.server.ThreadingHTTPServer((host, port), functools.partial(Handler, directory=root))
    url = "http://%s:%d" % (host, server.server_address[1])
    with open(url_file + ".tmp", "w", encoding="ascii") as handle:
        handle.write(url + "\n")
    os.replace(url_file + ".tmp", url_file)
    started = time.time()

    def watchdog():
        while True:
            time.sleep(5)
            now = time.time()
            if now - Handler.last_request[0] > idle or now - started > lifetime:
                server.shutdown()
                return

    threading.Thread(target=watchdog, daemon=True).start()
    server.serve_forever()
    server.server_close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--idle", type=int, default=3 * 3600)
    parser.add_argument("--lifetime", type=int, default=12 * 3600)
    parser.add_argument("--ensure", action="store_true", help="start detached unless running; print the URL")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    url_file = root.rstrip("/") + ".url"
    if not args.ensure:
        serve(root, args.host, args.port, args.idle, args.lifetime, url_file)
        return
    if os.path.exists(url_file):
        url = open(url_file, encoding="ascii").read().strip()
        if answers(url):
            print(url)
            return
        os.unlink(url_file)
    cmd = [sys.executable, os.path.abspath(__file__), "--root", root, "--host", args.host,
           "--port", str(args.port), "--idle", str(args.idle), "--lifetime", str(args.lifetime)]
    subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                     stderr=open(root.rstrip("/") + ".log", "ab"), start_new_session=True)
    for _attempt in range(100):
        if os.path.exists(url_file):
            url = open(url_file, encoding="ascii").read().strip()
            if answers(url):
                print(url)
                return
        time.sleep(0.1)
    raise SystemExit("test mirror server did not start; see %s.log" % root.rstrip("/"))


if __name__ == "__main__":
    main()
