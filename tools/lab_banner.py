"""What `make lab` prints: the stand-in banner (mirror fallback) and, with --urls, the URLs to open."""
from __future__ import annotations

import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = {  # port: [(what, path, scheme)]
    "3000": [("Grafana (admin / vigil-lab-admin)", "/")],
    "9090": [("Prometheus (vigil / vigil-lab-api-3e9a)", "/targets")],
    "9093": [("Alertmanager (vigil / vigil-lab-api-3e9a)", "/")],
    "8443": [("Jaeger UI via the gateway (vigil / vigil-lab-gateway-b60c)", "/jaeger/", "https"),
             ("Loki via the gateway", "/loki/api/v1/labels", "https")],
    "3001": [("Uptime Kuma (admin / vigil-lab-kuma-2026)", "/"), ("Uptime Kuma's public status page", "/status/stack")],
    "8065": [("Alerts Mattermost would get", "/messages")],
}


def published():
    versions_dir = os.path.join(ROOT, "tests", "artifacts", "versions")
    found = {}
    for name in sorted(os.listdir(versions_dir)):
        if name.endswith(".yml"):
            with open(os.path.join(versions_dir, name), encoding="utf-8") as handle:
                found.update(yaml.safe_load(handle) or {})
    return found


def banner():
    standins, real = [], []
    for component, builds in sorted(published().items()):
        build = next((b for b in builds if b.get("default")), builds[0])
        entry = "%s %s" % (component, build["version"])
        if build["kind"] == "standin":
            standins.append(entry)
        elif build["kind"] == "debian":
            real.append("%s (from Debian %s %s)" % (entry, build.get("suite", ""), build.get("package", "")))
        elif build["kind"] == "shared":
            real.append("%s (the release files, from the project's shared folder)" % entry)
        else:
            real.append("%s (upstream binaries, repackaged)" % entry)
    line = "!" * 78
    print(line)
    print("!! The vendors' download sites cannot be reached from this machine: the lab uses the")
    print("!! local test mirror. These components are TEST STAND-INS, not the real products:")
    for entry in standins:
        print("!!   - %s" % entry)
    print("!! These are the real programs (where the mirror took them from):")
    for entry in real:
        print("!!   - %s" % entry)
    print(line)


def urls():
    with open(os.path.join(ROOT, "tools", "lab_containers.yml"), encoding="utf-8") as handle:
        lab = yaml.safe_load(handle)
    print("The lab is up. Open:")
    for container in lab["vigil_containers"]:
        for mapping in container.get("published_ports", []):
            host, port, _inner = str(mapping).rsplit(":", 2)
            for entry in SERVICES.get(port, [(port, "/")]):
                what, path, scheme = (entry + ("http",))[:3]
                print("  %-44s %s://%s:%s%s" % (what, scheme, host, port, path))
    print("The gateway's certificate is issued by the lab's own CA (on the server, /etc/vigil-gateway/ca/ca.crt):")
    print("  docker exec vigil-lab-server cat /etc/vigil-gateway/ca/ca.crt > lab-ca.crt; curl --cacert lab-ca.crt ...")
    print("Remove it with: make lab-down")


if __name__ == "__main__":
    urls() if sys.argv[1:] == ["--urls"] else banner()
