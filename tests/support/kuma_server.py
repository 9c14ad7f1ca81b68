# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The REAL Uptime Kuma server on loopback, for the uptime_kuma_* module tests and benchmarks.

The release files come from the project's shared folder (``shared/uptime-kuma/<version>/``:
the tag's source archive and ``dist.tar.gz``, checked against their SHA256SUMS), found through
``VIGIL_SHARED_DIR`` or as ``<ancestor>/shared`` of the checkout. The dependencies are installed
once per version into ``.cache/uptime-kuma-server/<version>`` with this machine's Node.js and npm
(``npm ci --omit=dev``; the native sqlite3 binding is served from the shared folder on loopback,
as the role's ``uptime_kuma_sqlite3_binary_host`` does). ``KumaServer`` then starts
``node server/server.js`` on a free loopback port with a fresh data directory.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import tarfile
import tempfile
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if os.path.join(ROOT, "tools") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tools"))

# tools/test_env.py knows where the shared folder is.
import test_env  # noqa: E402  pylint: disable=wrong-import-position

VERSION = "2.5.3"
ADMIN = "admin"
ADMIN_PASSWORD = "Vigil-Unit-Passw0rd-2026"
NODE_MINIMUM = (20, 4)


class Unavailable(Exception):
    """The real server cannot be run here; the message says why in one line."""


def shared_dir():
    """The shared folder (tools/test_env.py decides where it is) when it holds uptime-kuma/, else None."""
    folder = test_env.shared_dir()
    return folder if os.path.isdir(os.path.join(folder, "uptime-kuma")) else None


def _node_ok():
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        raise Unavailable("no node and npm on the PATH: the real Uptime Kuma cannot run here")
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    version = tuple(int(p) for p in out.lstrip("v").split(".")[:2])
    if version < NODE_MINIMUM:
        raise Unavailable("node %s is older than the 20.4 Uptime Kuma 2.x needs" % out)
    return node, npm


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def install(version=VERSION):
    """The installed release tree for ``version`` (cached across runs); raises Unavailable."""
    shared = shared_dir()
    if not shared:
        raise Unavailable("shared/uptime-kuma not found (set VIGIL_SHARED_DIR): the real Uptime Kuma server is not available")
    release = os.path.join(shared, "uptime-kuma", version)
    _node, npm = _node_ok()
    sums = {}
    with open(os.path.join(release, "SHA256SUMS"), encoding="ascii") as handle:
        for line in handle:
            if line.strip():
                digest, name = line.split()
                sums[name.lstrip("*")] = digest
    key = hashlib.sha256("".join(sorted(sums.values())).encode()).hexdigest()[:16]
    tree = os.path.join(ROOT, ".cache", "uptime-kuma-server", version)
    stamp = os.path.join(tree, ".vigil-installed")
    if os.path.exists(stamp) and open(stamp, encoding="ascii").read().strip() == key:
        return tree
    for name in ("%s.tar.gz" % version, "dist.tar.gz"):
        if _sha256(os.path.join(release, name)) != sums[name]:
            raise Unavailable("%s does not match its SHA256SUMS" % os.path.join(release, name))
    if os.path.exists(tree):
        shutil.rmtree(tree)
    os.makedirs(tree)
    with tarfile.open(os.path.join(release, "%s.tar.gz" % version)) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/", 1)
            if len(parts) < 2 or not parts[1]:
                continue
            member.name = parts[1]
            archive.extract(member, tree, filter="data")
    with tarfile.open(os.path.join(release, "dist.tar.gz")) as archive:
        archive.extractall(tree, filter="data")
    with _serve(os.path.join(shared, "uptime-kuma", "sqlite3")) as binding_url:
        env = dict(os.environ, npm_config_node_sqlite3_binary_host_mirror=binding_url, npm_config_update_notifier="false")
        proc = subprocess.run([npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], cwd=tree, env=env,
                              capture_output=True, text=True, timeout=900, check=False)
    if proc.returncode != 0:
        raise Unavailable("npm ci of Uptime Kuma %s failed: %s" % (version, (proc.stderr or proc.stdout).strip().splitlines()[-1:]))
    with open(stamp, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return tree


class _serve(object):
    """A static HTTP server on loopback for one directory (the sqlite3 binding host)."""

    def __init__(self, directory):
        handler = functools.partial(_QuietHandler, directory=directory)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KumaServer(object):
    """One real Uptime Kuma process on loopback with its own data directory."""

    def __init__(self, version=VERSION):
        self.tree = install(version)
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.data_dir = tempfile.mkdtemp(prefix="vigil-kuma-")
        self.proc = None

    def start(self, timeout=60):
        node, _npm = _node_ok()
        env = dict(os.environ, UPTIME_KUMA_DB_TYPE="sqlite", NODE_ENV="production")
        self.log = open(os.path.join(self.data_dir, "server.log"), "w", encoding="utf-8")
        self.proc = subprocess.Popen([node, "server/server.js", "--port=%d" % self.port, "--host=127.0.0.1",
                                      "--data-dir=%s/" % self.data_dir], cwd=self.tree, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Unavailable("Uptime Kuma exited with %s; see %s" % (self.proc.returncode, self.log.name))
            try:
                with urllib.request.urlopen(self.url + "/api/entry-page", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        raise Unavailable("Uptime Kuma did not answer within %ss" % timeout)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        shutil.rmtree(self.data_dir, ignore_errors=True)
