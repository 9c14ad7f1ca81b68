"""Build the local test mirror: release-layout archives and checksum files, offline-servable.

For products Debian ships, the REAL binaries come out of the Debian package: the suite's
InRelease is verified with gpgv against the Debian archive keyring, the Packages index is checked
against it, the .deb against the index. They are repackaged as the upstream archive (for example
``node_exporter-1.9.0.linux-amd64.tar.gz`` with ``node_exporter-1.9.0.linux-amd64/node_exporter``)
next to the upstream checksum file (``sha256sums.txt``). Products that cannot be obtained here are
built by ``standins/<component>.py``. Real release files the project keeps in its shared folder
(``kind: shared``, e.g. Uptime Kuma) are copied from there, checked against the folder's own
checksum file. The Debian mirror URL is read from the host's apt configuration.

Output layout (what ``vigil_artifact_mirror`` expects): ``<out>/<component>/<version>/<file>``.
Archives are byte-for-byte reproducible, so a rebuild never invalidates a controller cache.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import io
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from debian_mirror import debian_mirror  # noqa: E402
from test_env import shared_dir  # noqa: E402

KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
MTIME = 1700000000  # fixed timestamp inside archives: reproducible bytes


def log(msg):
    print("mirror: " + msg, flush=True)


def fetch(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (Debian mirror URL from apt config)
        return resp.read()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Debian:
    """Signature-checked access to one Debian mirror, cached under ``cache``."""

    def __init__(self, mirror, cache, arch="amd64"):
        self.mirror, self.cache, self.arch = mirror, cache, arch
        self._packages = {}
        os.makedirs(cache, exist_ok=True)

    def _release(self, suite):
        path = os.path.join(self.cache, "%s.InRelease" % suite)
        if not os.path.exists(path) or os.path.getmtime(path) < __import__("time").time() - 86400:
            data = fetch("%s/dists/%s/InRelease" % (self.mirror, suite))
            with open(path + ".tmp", "wb") as handle:
                handle.write(data)
            os.replace(path + ".tmp", path)
        if shutil.which("gpgv") and os.path.exists(KEYRING):
            res = subprocess.run(["gpgv", "--keyring", KEYRING, path], capture_output=True, text=True, check=False)
            if res.returncode != 0:
                raise SystemExit("InRelease of %s failed signature verification:\n%s" % (suite, res.stderr))
        else:
            log("WARNING: gpgv or %s missing: %s InRelease not signature-checked" % (KEYRING, suite))
        with open(path, encoding="utf-8") as handle:
            return handle.read()

    def packages(self, suite):
        if suite in self._packages:
            return self._packages[suite]
        release = self._release(suite)
        name = "main/binary-%s/Packages.xz" % self.arch
        match = re.search(r"^ ([0-9a-f]{64})\s+\d+\s+%s$" % re.escape(name), release, re.M)
        if not match:
            raise SystemExit("%s not listed in %s InRelease" % (name, suite))
        path = os.path.join(self.cache, "%s.%s.Packages.xz" % (suite, match.group(1)[:16]))
        if not os.path.exists(path):
            data = fetch("%s/dists/%s/%s" % (self.mirror, suite, name))
            if sha256(data) != match.group(1):
                raise SystemExit("Packages index of %s does not match its InRelease" % suite)
            with open(path, "wb") as handle:
                handle.write(data)
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            index = {}
            for stanza in handle.read().split("\n\n"):
                fields = dict(re.findall(r"^([A-Za-z0-9-]+): (.*)$", stanza, re.M))
                if "Package" in fields:
                    index[fields["Package"]] = fields
        self._packages[suite] = index
        return index

    def deb(self, suite, package):
        entry = self.packages(suite).get(package)
        if not entry:
            raise SystemExit("package %s not found in %s" % (package, suite))
        path = os.path.join(self.cache, os.path.basename(entry["Filename"]))
        if not os.path.exists(path) or sha256(open(path, "rb").read()) != entry["SHA256"]:
            log("download %s %s (%s)" % (package, entry["Version"], suite))
            data = fetch("%s/%s" % (self.mirror, entry["Filename"]))
            if sha256(data) != entry["SHA256"]:
                raise SystemExit("%s does not match the Packages index" % entry["Filename"])
            with open(path, "wb") as handle:
                handle.write(data)
        return path, entry["Version"]


def deb_members(path):
    """Yield (name, bytes) of the data archive members of a .deb (an ar archive)."""
    with open(path, "rb") as handle:
        if handle.read(8) != b"!<arch>\n":
            raise SystemExit("%s is not a Debian package" % path)
        while True:
            header = handle.read(60)
            if len(header) < 60:
                break
            name = header[:16].decode().strip().rstrip("/")
            size = int(header[48:58].decode().strip())
            data = handle.read(size)
            if size % 2:
                handle.read(1)
            if name.startswith("data.tar"):
                with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                    for member in tar.getmembers():
                        if member.isfile():
                            yield member.name.lstrip("./"), tar.extractfile(member).read()
                return
    raise SystemExit("%s has no data archive" % path)


def write_tar_gz(path, top, files):
    """files: {relative name: (bytes, mode)}; reproducible tar.gz with one top directory."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        names = sorted(files)
        dirs = sorted(({top} if top else set()) | {os.path.join(top, os.path.dirname(n)) for n in names if os.path.dirname(n)})
        for directory in dirs:
            info = tarfile.TarInfo(directory)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, MTIME
            tar.addfile(info)
        for name in names:
            data, mode = files[name]
            info = tarfile.TarInfo(os.path.join(top, name) if top else name)
            info.size, info.mode, info.mtime = len(data), mode, MTIME
            tar.addfile(info, io.BytesIO(data))
    with open(path, "wb") as handle:
        with gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, compresslevel=6) as gz:
            gz.write(raw.getvalue())


def write_zip(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data, mode = files[name]
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def write_archive(path, top, files):
    if path.endswith(".zip"):
        write_zip(path, files)
    else:
        write_tar_gz(path, top, files)


def write_sums(directory, sums_name, fmt="sums"):
    """Write the release checksum file covering every archive in ``directory``."""
    archives = sorted(f for f in os.listdir(directory) if f != sums_name and not f.endswith(".sha256"))
    if fmt == "sidecar":  # otelcol-contrib >= 0.158: one bare digest per artifact
        for name in archives:
            with open(os.path.join(directory, name), "rb") as handle:
                digest = sha256(handle.read())
            with open(os.path.join(directory, name + ".sha256"), "w", encoding="ascii") as handle:
                handle.write(digest)
        return
    marker = " *" if fmt == "binary" else "  "
    lines = []
    for name in archives:
        with open(os.path.join(directory, name), "rb") as handle:
            lines.append("%s%s%s\n" % (sha256(handle.read()), marker, name))
    with open(os.path.join(directory, sums_name), "w", encoding="ascii") as handle:
        handle.writelines(lines)


def build_debian(debian, component, spec, out, arch):
    version = spec["version"]
    deb, debian_version = debian.deb(spec["suite"], spec["package"])
    upstream = re.sub(r"^\d+:", "", debian_version)
    if not upstream.startswith(version):
        raise SystemExit("%s: %s %s is Debian %s, not upstream %s: update versions.yml"
                         % (component, spec["package"], spec["suite"], debian_version, version))
    members = dict(deb_members(deb))
    extras = {}
    for dep in spec.get("with_packages", []):
        dep_deb = debian.deb(spec["suite"], dep)[0]
        extras.update(dict(deb_members(dep_deb)))
    members.update(extras)
    files = {}
    for dest, src in spec["files"].items():
        if src not in members:
            raise SystemExit("%s: %s not in %s" % (component, src, spec["package"]))
        files[dest] = (members[src], 0o755 if src.startswith(("usr/bin/", "usr/sbin/")) else 0o644)
    copyright_name = "usr/share/doc/%s/copyright" % spec["package"]
    if copyright_name in members:
        files["LICENSE"] = (members[copyright_name], 0o644)
    files["NOTICE"] = (("Repackaged for the vigil.observability test mirror from Debian %s %s %s.\n"
                        % (spec["suite"], spec["package"], debian_version)).encode(), 0o644)
    fmt = {"version": version, "arch": arch}
    directory = os.path.join(out, component, version)
    os.makedirs(directory, exist_ok=True)
    write_archive(os.path.join(directory, spec["archive"].format(**fmt)), spec.get("top", "").format(**fmt), files)
    write_sums(directory, spec["sums"].format(**fmt), spec.get("sums_format", "sums"))
    return "real binaries from Debian %s %s" % (spec["suite"], debian_version)


def build_scripted(component, spec, out, arch):
    module_path = os.path.join(HERE, "standins", "%s.py" % spec.get("builder", component))
    loader = importlib.util.spec_from_file_location("standin_" + component, module_path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    version = spec["version"]
    directory = os.path.join(out, component, version)
    os.makedirs(directory, exist_ok=True)
    fmt = {"version": version, "arch": arch}
    files = module.files(version=version, arch=arch, spec=spec)
    write_archive(os.path.join(directory, spec["archive"].format(**fmt)), spec.get("top", "").format(**fmt), files)
    if spec.get("sums"):
        write_sums(directory, spec["sums"].format(**fmt), spec.get("sums_format", "sums"))
    if spec["kind"] == "repackaged":
        return "real upstream binaries, repackaged by standins/%s.py" % spec.get("builder", component)
    return "stand-in (test double, not the product)"


def shared_sources(spec):
    """{file name in the mirror: path in the shared folder} of a ``kind: shared`` build, and that folder."""
    fmt = {"version": spec["version"]}
    folder = os.path.join(shared_dir(), spec["shared"].format(**fmt))
    return {name.format(**fmt): os.path.join(folder, name.format(**fmt)) for name in spec["files"]}, folder


def build_shared(component, spec, out):
    """REAL release files from the shared folder, checked against its SHA256SUMS; None when they are missing."""
    sources, folder = shared_sources(spec)
    if not os.path.isdir(folder):
        return None
    expected = {}
    with open(os.path.join(folder, "SHA256SUMS"), encoding="ascii") as handle:
        for line in handle:
            digest, name = line.split(None, 1)
            expected[name.strip().lstrip("*")] = digest
    directory = os.path.join(out, component, spec.get("dest", "{version}").format(version=spec["version"]))
    os.makedirs(directory, exist_ok=True)
    for name, path in sorted(sources.items()):
        with open(path, "rb") as handle:
            data = handle.read()
        if sha256(data) != expected.get(os.path.basename(path)):
            raise SystemExit("%s: %s does not match the SHA256SUMS beside it" % (component, path))
        with open(os.path.join(directory, name), "wb") as handle:
            handle.write(data)
    if spec.get("sums"):
        write_sums(directory, spec["sums"], spec.get("sums_format", "sums"))
    return "real release files from the shared folder (%s)" % spec["shared"].format(version=spec["version"])


def load_versions(directory=os.path.join(HERE, "versions")):
    """Merge every versions/<component>.yml into {component: [builds]}."""
    versions = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".yml"):
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                versions.update(yaml.safe_load(handle) or {})
    return versions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="mirror directory to fill")
    parser.add_argument("--arch", default="amd64")
    parser.add_argument("--only", nargs="*", help="components to build (default: all)")
    args = parser.parse_args()
    versions = load_versions()
    debian = Debian(debian_mirror(), os.path.join(os.path.dirname(os.path.abspath(args.out)), "debian-cache"), args.arch)
    stamp_dir = os.path.join(args.out, ".stamps")
    os.makedirs(stamp_dir, exist_ok=True)
    skipped = []
    for component, builds in versions.items():
        if args.only and component not in args.only:
            continue
        for spec in builds:
            # The builder's own code is part of every key: a change in how archives are written
            # rebuilds them.
            with open(os.path.abspath(__file__), "rb") as handle:
                key = sha256(repr((component, sorted(spec.items()), args.arch)).encode() + handle.read())
            if spec["kind"] in ("standin", "repackaged"):
                with open(os.path.join(HERE, "standins", "%s.py" % spec.get("builder", component)), "rb") as handle:
                    key = sha256(key.encode() + handle.read())
                for extra in spec.get("sources", []):
                    for base, _dirs, names in os.walk(os.path.join(HERE, "standins", extra)):
                        for name in sorted(names):
                            with open(os.path.join(base, name), "rb") as handle:
                                key = sha256(key.encode() + name.encode() + handle.read())
            if spec["kind"] == "shared":  # the shared folder's checksum file names the content
                sums = os.path.join(shared_sources(spec)[1], "SHA256SUMS")
                if os.path.exists(sums):
                    with open(sums, "rb") as handle:
                        key = sha256(key.encode() + handle.read())
            # One stamp per archive: a version may ship several archives (source + assets).
            ident = spec["archive"] if "archive" in spec else " ".join(spec["files"])
            stamp = os.path.join(stamp_dir, "%s-%s-%s" % (component, spec["version"], sha256(ident.encode())[:8]))
            if os.path.exists(stamp) and open(stamp, encoding="utf-8").read().startswith(key):
                continue
            # A rebuilt archive under the same version must not meet an old copy (and its old
            # checksum file) in the test controller cache: drop that version from the cache.
            shutil.rmtree(os.path.join(ROOT, ".cache", "controller", "vigil.observability", component,
                                       str(spec["version"])), ignore_errors=True)
            if spec["kind"] == "debian":
                what = build_debian(debian, component, spec, args.out, args.arch)
            elif spec["kind"] in ("standin", "repackaged"):
                what = build_scripted(component, spec, args.out, args.arch)
            elif spec["kind"] == "shared":
                what = build_shared(component, spec, args.out)
                if what is None:
                    skipped.append("%s %s" % (component, spec["version"]))
                    continue
            else:
                raise SystemExit("%s: unknown kind %r" % (component, spec["kind"]))
            with open(stamp, "w", encoding="utf-8") as handle:
                handle.write("%s %s\n" % (key, what))
            log("%s %s: %s" % (component, spec["version"], what))
    if skipped:
        log("SKIPPED %s: not in the shared folder %s (set VIGIL_SHARED_DIR to the project's shared folder)"
            % (", ".join(skipped), shared_dir()))
    log("ready in %s" % args.out)


if __name__ == "__main__":
    main()
