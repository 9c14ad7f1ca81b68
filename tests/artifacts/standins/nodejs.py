"""Build the Node.js release archive of the test mirror from REAL Node.js binaries.

nodejs.org cannot be reached here, but the official Node.js Linux binaries are also published on
the npm registry as ``node-linux-<arch>`` (``bin/node``, ``include/``, ``share/``), and npm
itself as ``npm``. This builder takes exactly the build's versions from the registry the host's
npm is configured with (``npm config get registry``; no registry is named here), checks every
tarball against the ``dist.integrity`` (SHA-512) of the registry's metadata, and repackages them
in the nodejs.org release layout: ``node-v{version}-linux-x64/`` with ``bin/node``,
``bin/npm``, ``bin/npx``, ``lib/node_modules/npm/``, ``share/``. The mirror writes
``SHASUMS256.txt`` next to it, as nodejs.org does. ``include/node/`` (3000 C headers for
building native add-ons, which the scenarios never build) is left out: it would double the
files every unpack has to check.

Upstream ``bin/npm`` and ``bin/npx`` are symlinks into ``lib/node_modules/npm/bin/``; the mirror's
archives hold regular files only, so they are two-line scripts that load those entry points.

Build keys: ``npm`` (the npm version this Node.js release bundles).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import ssl
import subprocess
import tarfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CACHE = os.path.join(ROOT, ".cache", "npm-artifacts")
NODE_ARCH = {"amd64": "x64", "arm64": "arm64"}

NPM_SHIM = b"""#!/usr/bin/env node
require('../lib/node_modules/npm/bin/npm-cli.js')
"""
NPX_SHIM = b"""#!/usr/bin/env node
require('../lib/node_modules/npm/bin/npx-cli.js')
"""


def _npm_config(key):
    try:
        out = subprocess.run(["npm", "config", "get", key], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit("nodejs: cannot read the npm %s (npm config get %s): %s" % (key, key, exc)) from exc
    return "" if out in ("", "null", "undefined") else out


def _context():
    cafile = _npm_config("cafile")
    return ssl.create_default_context(cafile=cafile or None)


def _get(url, context, timeout=300):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout, context=context) as resp:  # noqa: S310 (npm's configured registry)
        return resp.read()


def _integrity_ok(data, integrity):
    algorithm, digest = (integrity.split("-", 1) + [""])[:2]
    if algorithm != "sha512":
        raise SystemExit("nodejs: unexpected integrity algorithm %r" % algorithm)
    return base64.b64encode(hashlib.sha512(data).digest()).decode() == digest


def registry_tarball(name, version):
    """The package tarball of name@version, verified against the registry's dist.integrity."""
    registry = _npm_config("registry").rstrip("/")
    if not registry:
        raise SystemExit("nodejs: npm has no registry configured")
    context = _context()
    manifest = json.loads(_get("%s/%s/%s" % (registry, name, version), context))
    integrity = manifest["dist"]["integrity"]
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, "%s-%s.tgz" % (name, version))
    if os.path.exists(path):
        with open(path, "rb") as handle:
            data = handle.read()
        if _integrity_ok(data, integrity):
            return data
    print("mirror: nodejs: download %s@%s from the npm registry" % (name, version), flush=True)
    data = _get(manifest["dist"]["tarball"], context)
    if not _integrity_ok(data, integrity):
        raise SystemExit("nodejs: %s@%s does not match the registry's dist.integrity; not repackaged" % (name, version))
    with open(path + ".tmp", "wb") as handle:
        handle.write(data)
    os.replace(path + ".tmp", path)
    return data


def _members(data):
    """Yield (path below package/, bytes, mode) of the regular files of an npm tarball."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("package/"):
                yield member.name[len("package/"):], tar.extractfile(member).read(), member.mode & 0o777


def files(version, arch, spec):
    """Return {path inside node-v{version}-linux-<arch>/: (bytes, mode)}."""
    if arch not in NODE_ARCH:
        raise SystemExit("nodejs: no Node.js build for %s" % arch)
    if NODE_ARCH[arch] not in spec["archive"]:
        raise SystemExit("nodejs: versions/nodejs.yml names the %s archive; this mirror is built for %s"
                         % (spec["archive"], NODE_ARCH[arch]))
    result = {}
    for name, data, mode in _members(registry_tarball("node-linux-%s" % NODE_ARCH[arch], version)):
        if name == "bin/node":
            result[name] = (data, 0o755)
        elif name.startswith("share/") or name in ("LICENSE", "README.md", "CHANGELOG.md"):
            result[name] = (data, mode | 0o644)
    if "bin/node" not in result:
        raise SystemExit("nodejs: node-linux-%s@%s holds no bin/node" % (NODE_ARCH[arch], version))
    for name, data, mode in _members(registry_tarball("npm", spec["npm"])):
        result["lib/node_modules/npm/" + name] = (data, 0o755 if mode & 0o100 else 0o644)
    result["bin/npm"] = (NPM_SHIM, 0o755)
    result["bin/npx"] = (NPX_SHIM, 0o755)
    result["NOTICE"] = (("Repackaged for the vigil.observability test mirror from the npm registry: "
                         "node-linux-%s@%s and npm@%s (integrity-checked); include/ left out.\n"
                         % (NODE_ARCH[arch], version, spec["npm"])).encode(), 0o644)
    return result
