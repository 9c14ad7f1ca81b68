# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (benchmarks/stack/run.py): per host, the tasks run (ok, changed, skipped) and
the artifact downloads (get_url tasks that ran), written as JSON to $VIGIL_BENCH_COUNTS."""

from __future__ import annotations

DOCUMENTATION = r"""
name: vigil_bench_counts
type: aggregate
short_description: Task counts per host for the stack benchmark
description: Counts ok, changed and skipped task results per host and the get_url downloads; writes them to $VIGIL_BENCH_COUNTS.
"""

import json
import os
from collections import defaultdict

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "vigil_bench_counts"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.hosts = defaultdict(lambda: {"ok": 0, "skipped": 0, "changed": 0, "downloads": 0})

    def _count(self, result, kind):
        entry = self.hosts[result._host.get_name()]
        entry[kind] += 1
        if kind == "ok" and result._result.get("changed"):
            entry["changed"] += 1
        if kind == "ok" and result._task.action in ("get_url", "ansible.builtin.get_url", "ansible.legacy.get_url"):
            entry["downloads"] += 1

    def v2_runner_on_ok(self, result):
        self._count(result, "ok")

    def v2_runner_on_skipped(self, result):
        self._count(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("VIGIL_BENCH_COUNTS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.hosts, handle)
