"""Build the Uptime Kuma TEST STAND-IN release files (see uptime_kuma/README.md).

Uptime Kuma publishes two files per release, and so does this builder, one per build entry:
- the source archive of the git tag (``{version}.tar.gz`` with ``uptime-kuma-{version}/``):
  package.json with the real ``engines`` field, package-lock.json, .npmrc and ``server/server.js``,
  a small Node program that answers the way the real server does (see its header);
- ``dist.tar.gz`` (build entry with ``part: dist``): the pre-built frontend, ``dist/``.
The stand-in's runtime dependencies are real npm packages pinned by the lockfile, so the role's
``npm ci --omit dev`` runs for real against the configured registry.
"""
from __future__ import annotations

import json
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "uptime_kuma")


def _read(*parts):
    with open(os.path.join(HERE, *parts), "rb") as handle:
        return handle.read()


def _tree(top):
    """Every file under HERE/top as {relative path: bytes}."""
    found = {}
    for base, _dirs, names in os.walk(os.path.join(HERE, top)):
        for name in names:
            path = os.path.join(base, name)
            found[os.path.relpath(path, os.path.join(HERE, top))] = _read(path)
    return found


def _versioned_json(name, version):
    """package.json / package-lock.json carrying the release's version."""
    data = json.loads(_read(name))
    data["version"] = version
    if "packages" in data:  # lockfile v3: the root package entry repeats it
        data["packages"][""]["version"] = version
    return (json.dumps(data, indent=4) + "\n").encode()


def files(version, arch, spec):  # pylint: disable=unused-argument
    """Return {path inside the archive's top directory: (bytes, mode)}."""
    if spec.get("part") == "dist":
        return {name: (data.replace(b"{version}", version.encode()), 0o644) for name, data in _tree("dist").items()}
    result = {
        "package.json": (_versioned_json("package.json", version), 0o644),
        "package-lock.json": (_versioned_json("package-lock.json", version), 0o644),
        ".npmrc": (_read(".npmrc"), 0o644),
        "README.md": (_read("README.md"), 0o644),
    }
    for name, data in _tree("server").items():
        result[os.path.join("server", name)] = (data, 0o644)
    return result
