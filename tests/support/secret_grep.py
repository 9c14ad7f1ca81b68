# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Count secret values in Ansible run logs, and name the tasks whose output holds one.

Usage: ``python3 secret_grep.py LOG...`` with the secrets on stdin, one per line (never in argv,
where a process list or a verbose log would show them). Prints JSON: per log its size in bytes,
the number of occurrences per secret (by position, the values themselves are not printed) and the
headers of the tasks above the lines holding one. Exit status 0 in every case; the caller asserts.
"""

from __future__ import annotations

import json
import sys


def scan(path, secrets):
    counts = [0] * len(secrets)
    tasks = []
    task = "(before the first task)"
    size = 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            size += len(line.encode("utf-8", "replace"))
            if line.startswith("TASK ["):
                task = line.rstrip().rstrip("*").rstrip()
            for index, secret in enumerate(secrets):
                if secret in line:
                    counts[index] += line.count(secret)
                    if task not in tasks:
                        tasks.append(task)
    return {"log": path, "bytes": size, "counts": counts, "tasks": tasks}


def main():
    secrets = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    json.dump({"secrets": len(secrets), "logs": [scan(path, secrets) for path in sys.argv[1:]]}, sys.stdout)


if __name__ == "__main__":
    main()
