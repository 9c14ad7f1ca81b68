"""Write an inventory that reaches running containers over SSH (the lab, the stack benchmark).

    python3 tools/ssh_inventory.py --key KEYFILE --out FILE CONTAINER...

Each container becomes a host of the same name with its address on its Docker network as
``ansible_host``, root as the user, the private key of this run, and ``vigil_address`` set to the
name, so the services are addressed exactly as over ``docker exec`` (an SSH run renders the same
files as a docker run). Give it after the lab's inventory (``-i inventories/lab -i FILE``): host
variables win over the lab's ``ansible_connection`` group variable. SSH options: ansible.cfg's
``[ssh_connection]`` (ControlPersist) and ``[connection]`` (pipelining); host keys are not kept,
the containers are new on every run.
"""
import argparse
import json
import subprocess
import sys


def address(container):
    out = subprocess.run(["docker", "inspect", "-f", "{{json .NetworkSettings.Networks}}", container],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit("ssh_inventory: container %s: %s" % (container, out.stderr.strip()))
    addresses = [n.get("IPAddress") for n in json.loads(out.stdout).values() if n.get("IPAddress")]
    if not addresses:
        raise SystemExit("ssh_inventory: container %s has no network address" % container)
    return addresses[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", required=True, help="the private key file of this run")
    parser.add_argument("--out", required=True, help="the inventory file to write (YAML)")
    parser.add_argument("containers", nargs="+")
    args = parser.parse_args(argv)
    hosts = {}
    for name in args.containers:
        hosts[name] = {
            "ansible_connection": "ssh",
            "ansible_host": address(name),
            "ansible_user": "root",
            "ansible_ssh_private_key_file": args.key,
            "ansible_ssh_common_args": "-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no",
            "vigil_address": name,
        }
    with open(args.out, "w", encoding="utf-8") as handle:
        # JSON is YAML: no YAML library needed on the controller's plain Python.
        json.dump({"all": {"hosts": hosts}}, handle, indent=2)
        handle.write("\n")
    print("ssh inventory: %s (%d hosts)" % (args.out, len(hosts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
