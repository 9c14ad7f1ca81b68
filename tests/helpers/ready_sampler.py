# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sample ready endpoints until a stop file appears, and report which were down together.

Runs on a test container during a rolling change. Every ``--interval`` seconds it asks each
``--url NAME=URL`` (basic auth from ``--user`` and the ``SAMPLER_PASSWORD`` environment variable,
certificates not checked: it measures readiness, not trust) and counts, per sample, which
endpoints answered 200. NAMEs share a group by the part before the first ``-``
(``prometheus-a``, ``prometheus-b``): the report says how many samples had no member of a group
ready. It stops when ``--stop-file`` exists or after ``--max-seconds``, and prints one JSON object.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import ssl
import time
import urllib.error
import urllib.request


def ready(url, auth, context, timeout):
    request = urllib.request.Request(url, headers={"Authorization": "Basic " + auth})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True, help="NAME=URL, repeatable")
    parser.add_argument("--user", required=True)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()

    targets = dict(item.split("=", 1) for item in args.url)
    groups = sorted({name.split("-", 1)[0] for name in targets})
    auth = base64.b64encode(("%s:%s" % (args.user, os.environ.get("SAMPLER_PASSWORD", ""))).encode()).decode()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    start = time.monotonic()
    samples = 0
    down = {name: 0 for name in targets}
    first_down, last_down = {}, {}
    none_ready = {group: 0 for group in groups}
    while not os.path.exists(args.stop_file) and time.monotonic() - start < args.max_seconds:
        now = round(time.monotonic() - start, 2)
        answered = {name: ready(url, auth, context, timeout=1.0) for name, url in targets.items()}
        samples += 1
        for name, is_ready in answered.items():
            if not is_ready:
                down[name] += 1
                first_down.setdefault(name, now)
                last_down[name] = now
        for group in groups:
            if not any(is_ready for name, is_ready in answered.items() if name.split("-", 1)[0] == group):
                none_ready[group] += 1
        time.sleep(args.interval)

    print(json.dumps({
        "samples": samples,
        "seconds": round(time.monotonic() - start, 1),
        "stopped": os.path.exists(args.stop_file),
        "down": down,
        "first_down": first_down,
        "last_down": last_down,
        "none_ready": none_ready,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
