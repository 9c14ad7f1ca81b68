"""Print the Debian archive base URL this host's apt is configured with.

The test harness never names a mirror itself: it reads the one the host
already trusts, from deb822 ``*.sources`` files and one-line ``*.list`` files
(``/etc/apt/sources.list`` included). The first ``deb`` source whose suite is
a plain release (no ``-security``) wins. ``VIGIL_DEBIAN_MIRROR`` overrides.
"""
import glob
import os
import re
import sys

APT_DIR = os.environ.get("VIGIL_APT_DIR", "/etc/apt")


def _deb822_entries(text):
    for stanza in re.split(r"\n\s*\n", text):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip()
        if fields.get("enabled", "yes").lower() == "no":
            continue
        if "deb" not in fields.get("types", "").split():
            continue
        for uri in fields.get("uris", "").split():
            yield uri, fields.get("suites", "").split()


def _one_line_entries(text):
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line.startswith("deb "):
            continue
        parts = line.split()[1:]
        if parts and parts[0].startswith("["):
            while parts and not parts[0].endswith("]"):
                parts.pop(0)
            parts.pop(0)
        if len(parts) >= 2:
            yield parts[0], [parts[1]]


def entries(apt_dir=APT_DIR):
    files = sorted(glob.glob(os.path.join(apt_dir, "sources.list.d", "*.sources")))
    lists = [os.path.join(apt_dir, "sources.list")]
    lists += sorted(glob.glob(os.path.join(apt_dir, "sources.list.d", "*.list")))
    for path in files:
        with open(path, encoding="utf-8") as handle:
            yield from _deb822_entries(handle.read())
    for path in lists:
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                yield from _one_line_entries(handle.read())


def debian_mirror(apt_dir=APT_DIR):
    override = os.environ.get("VIGIL_DEBIAN_MIRROR")
    if override:
        return override.rstrip("/")
    for uri, suites in entries(apt_dir):
        if any(re.fullmatch(r"[a-z]+(-updates|-backports)?", s) for s in suites) and \
                not any("security" in s for s in suites) and "/debian" in uri:
            return uri.rstrip("/")
    raise SystemExit("no Debian archive found in %s sources; set VIGIL_DEBIAN_MIRROR" % apt_dir)


if __name__ == "__main__":
    print(debian_mirror(sys.argv[1] if len(sys.argv) > 1 else APT_DIR))
