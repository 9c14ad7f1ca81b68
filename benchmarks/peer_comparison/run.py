# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: side by side with community.grafana (2.3.0, shipped in the `ansible` package).

    .venv/bin/python benchmarks/peer_comparison/run.py [--write]

The same inputs against the same Grafana double (tests/support/grafana_double), ours and theirs
each on a fresh instance, modules run in-process as Ansible runs them. It prints the comparison
(the text of tests/reports/peer_comparison.md), whether our side's claims held, and whether the
committed report is current; ``--write`` rewrites the report. It is a measurement: it asserts
nothing and exits 0 whatever the figures say.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
for _path in (os.path.join(ROOT, "collections"), os.path.join(ROOT, "tools"), os.path.join(ROOT, "tests", "support")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from ansible_collections.vigil.observability.plugins.module_utils import _http  # noqa: E402  pylint: disable=wrong-import-position
from grafana_modules import Runner, fake_grafana_server, stop_and_check  # noqa: E402  pylint: disable=wrong-import-position
import test_env  # noqa: E402  pylint: disable=wrong-import-position

REPORT = os.path.join(ROOT, "tests", "reports", "peer_comparison.md")
NEF = "node-exporter-full.json"
MLTP = "mltp-metrics-logs-traces-export.json"
HOOK_A = "https://mattermost.example.com/hooks/first-secret"
HOOK_B = "https://mattermost.example.com/hooks/rotated-secret"
TOKEN = "glsa_admin_0123456789abcdef"


def run(side, module, args, check=False):
    return ("run", side, module, args, check)


def edit_in_ui(uid):
    """Someone saves the dashboard in the UI: new title, version bumped."""
    def edit(runner):
        rec = runner.fake.org(1).dashboards[uid]
        rec["data"] = dict(copy.deepcopy(rec["data"]), title="Edited in the UI")
        rec["version"] += 3
    return ("call", edit)


def folder(title):
    def make(runner):
        _http.request("POST", runner.fake.url + "/api/folders", body={"title": title},
                      headers={"Authorization": "Bearer " + TOKEN})
    return ("call", make)


def ours_dash(path, **extra):
    return dict({"path": path}, **extra)


def theirs_dash(path, **extra):
    return dict({"path": path}, **extra)


def slack(uid, hook, **extra):
    return {"ours": dict({"uid": uid, "name": "ops", "type": "slack",
                          "settings": {"recipient": "#ops", "url": hook, "token": "xoxb-secret-token"}}, **extra.get("ours", {})),
            "theirs": dict({"uid": uid, "name": "ops", "type": "slack", "slack_recipient": "#ops", "slack_url": hook,
                            "slack_token": "xoxb-secret-token"}, **extra.get("theirs", {}))}


def scenarios(files):
    """(title, what it shows, steps for ours, steps for theirs)."""
    nef, mltp, fast, spaced, nouid = (files[k] for k in ("nef", "mltp", "fast", "spaced", "nouid"))
    mm = slack("ops-chat", HOOK_A)
    rotated = slack("ops-chat", HOOK_B)
    editable = slack("ops-chat", HOOK_A, ours={"disable_provenance": True}, theirs={"provisioning": False})
    return [
        ("D1 Node Exporter Full, real file", "uid in the JSON, `version: 102`, `id: null`; three runs",
         [run("ours", "grafana_dashboard", ours_dash(nef))] * 3,
         [run("theirs", "grafana_dashboard", theirs_dash(nef))] * 3),
        ("D2 exported dashboard with `__inputs`", "stored verbatim by both (no inputs given); three runs",
         [run("ours", "grafana_dashboard", ours_dash(mltp))] * 3,
         [run("theirs", "grafana_dashboard", theirs_dash(mltp))] * 3),
        ("D3 `refresh: 1s` (Grafana raises it to 5s)", "a server rewrite; theirs with its default `overwrite: false`",
         [run("ours", "grafana_dashboard", ours_dash(fast))] * 3,
         [run("theirs", "grafana_dashboard", theirs_dash(fast))] * 3),
        ("D4 `refresh: 1s`, theirs with `overwrite: true`", "the same rewrite with the peer's escape hatch",
         [run("ours", "grafana_dashboard", ours_dash(fast))] * 3,
         [run("theirs", "grafana_dashboard", theirs_dash(fast, overwrite=True))] * 3),
        ("D5 title with surrounding spaces", "Grafana trims the title; theirs with `overwrite: true`",
         [run("ours", "grafana_dashboard", ours_dash(spaced))] * 3,
         [run("theirs", "grafana_dashboard", theirs_dash(spaced, overwrite=True))] * 3),
        ("D6 edited in the UI, then re-run", "run, someone saves it in the UI (version bumped), run, run",
         [run("ours", "grafana_dashboard", ours_dash(nef)), edit_in_ui("rYdddlPWk")] + [run("ours", "grafana_dashboard", ours_dash(nef))] * 2,
         [run("theirs", "grafana_dashboard", theirs_dash(nef)), edit_in_ui("rYdddlPWk")] + [run("theirs", "grafana_dashboard", theirs_dash(nef))] * 2),
        ("D7 JSON without a uid", "three runs; then count the dashboards with that title",
         [run("ours", "grafana_dashboard", ours_dash(nouid))] * 3,
         [run("theirs", "grafana_dashboard", theirs_dash(nouid))] * 3),
        ("D8 into an existing folder", "folder `Team` exists; ours by `folder_path`, theirs by `folder` name",
         [folder("Team")] + [run("ours", "grafana_dashboard", ours_dash(mltp, folder_path=["Team"]))] * 3,
         [folder("Team")] + [run("theirs", "grafana_dashboard", theirs_dash(mltp, folder="Team"))] * 3),
        ("D9 check mode on an empty Grafana", "one `--check` run",
         [run("ours", "grafana_dashboard", ours_dash(nef), check=True)],
         [run("theirs", "grafana_dashboard", theirs_dash(nef), check=True)]),
        ("C1 Slack integration with secrets", "`url` and `token` are secrets (answered as `[REDACTED]`); four runs",
         [run("ours", "grafana_contact_point", mm["ours"])] * 4,
         [run("theirs", "grafana_contact_point", mm["theirs"])] * 4),
        ("C2 rotate only the webhook URL", "run with URL A, run with URL B, run with URL B",
         [run("ours", "grafana_contact_point", mm["ours"])] + [run("ours", "grafana_contact_point", rotated["ours"])] * 2,
         [run("theirs", "grafana_contact_point", mm["theirs"])] + [run("theirs", "grafana_contact_point", rotated["theirs"])] * 2),
        ("C3 editable in the UI", "ours `disable_provenance: true`, theirs `provisioning: false`; three runs",
         [run("ours", "grafana_contact_point", editable["ours"])] * 3,
         [run("theirs", "grafana_contact_point", editable["theirs"])] * 3),
        ("C4 check mode", "one `--check` run on an empty Grafana",
         [run("ours", "grafana_contact_point", mm["ours"], check=True)],
         [run("theirs", "grafana_contact_point", mm["theirs"], check=True)]),
    ]


WHY = {
    "D1": "Both idempotent: the file's `version` and `id` are ignored by both comparisons.",
    "D2": "Both idempotent: `/api/dashboards/db` stores the placeholders verbatim.",
    "D3": "The peer compares the file (`1s`) with what Grafana stored (`5s`), sees a change every run and re-POSTs "
          "without `version`: Grafana answers 412. Ours applies the rewrite before comparing.",
    "D4": "With `overwrite: true` the peer no longer fails, but writes a new dashboard version on every run.",
    "D5": "Same pattern: Grafana stores the trimmed title, the peer compares the untrimmed one.",
    "D6": "The peer re-POSTs without `version` and `overwrite: false`: 412 until someone intervenes. Ours writes "
          "with `overwrite: true` and restores the dashboard once.",
    "D7": "Without a uid the peer searches by title, finds the first copy, sees a difference (no uid in the file) and "
          "POSTs again without uid, which Grafana 11.3+ stores as a new dashboard (community.grafana#122). Ours "
          "refuses the input.",
    "D8": "Both idempotent.",
    "D9": "Both support check mode for dashboards.",
    "C1": "The peer PUTs on every run and decides `changed` from a before/after GET: the first PUT without "
          "`X-Disable-Provenance` turns the provenance to `api`, and from then on its before (with provenance) "
          "never equals its after (provenance removed): changed forever (community.grafana#435).",
    "C2": "Secrets come back as `[REDACTED]`, so the peer reports the rotation as unchanged although it wrote it. "
          "Ours compares the decrypted export and reports it (then nothing).",
    "C3": "The peer stays unchanged here but still writes on every run.",
    "C4": "The peer's contact point module has no check mode.",
}


def summarise(result, writes):
    if result.get("skipped"):
        return "skipped (no check mode)"
    if result.get("failed"):
        match = re.search(r"(?:HTTP:? |'status': |HTTP )(\d{3})", result.get("msg", ""))
        plain = re.sub(r"/\S*/([^/\s]+)", r"\1", result.get("msg", ""))  # no temporary paths in the report
        cause = "HTTP %s" % match.group(1) if match else plain.split(":")[0][:60]
        return "**failed** (%s)%s" % (cause, "; no write" if not writes else "")
    writes_text = ", ".join("%s %d" % (w["method"], w["status"]) for w in writes) or "no write"
    return "%s; %s" % ("changed" if result.get("changed") else "ok", writes_text)


def play(make_runner, steps):
    runner = make_runner()
    records = []
    for step in steps:
        if step[0] == "call":
            step[1](runner)
            continue
        side, module, args, check = step[1:]
        mark = runner.mark()
        if side == "ours":
            result = runner.run(module, args, check=check)
        else:
            result = runner.run(module, dict(args, url=runner.fake.url, grafana_api_key=TOKEN), check=check, auth=None,
                                collection="community.grafana")
        writes = runner.writes(mark)
        records.append({"result": result, "writes": writes, "check": check, "summary": summarise(result, writes)})
    return runner, records


def idempotent(records):
    """The last run changed nothing and wrote nothing (and did not fail)."""
    last = records[-1]
    return not last["result"].get("failed") and not last["result"].get("changed") and not last["writes"]


def inputs(tmp_dir, real_dashboards):
    def put(name, data):
        path = os.path.join(tmp_dir, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        return path

    nef = real_dashboards[NEF]
    fast = dict(copy.deepcopy(real_dashboards[MLTP]), uid="fast-refresh", refresh="1s")
    spaced = dict(copy.deepcopy(real_dashboards[MLTP]), uid="spaced-title", title="  MLT Dashboard  ")
    nouid = {k: v for k, v in real_dashboards[MLTP].items() if k != "uid"}
    return {"nef": put(NEF, nef), "mltp": put(MLTP, real_dashboards[MLTP]), "fast": put("fast.json", fast),
            "spaced": put("spaced.json", spaced), "nouid": put("nouid.json", nouid)}


def our_claims(title, ours):
    """What our side promises in this scenario: the claims that did not hold (empty when all did)."""
    if title.startswith("D7"):
        ok = all(r["result"].get("failed") and "has no uid" in r["result"]["msg"] and not r["writes"] for r in ours)
        return [] if ok else ["refuses a dashboard without uid before writing"]
    if any(r["check"] for r in ours):
        return [] if ours[0]["result"]["changed"] and not ours[0]["writes"] else ["check mode reports, writes nothing"]
    missed = []
    if any(r["result"].get("failed") for r in ours):
        missed.append("no run fails")
    if not idempotent(ours):
        missed.append("the re-run changes nothing")
    if title.startswith("D6") and not (ours[1]["result"]["changed"] and [w["status"] for w in ours[1]["writes"]] == [200]):
        missed.append("an edit in the UI is put back with one write")
    if title.startswith("C2") and not (ours[1]["result"]["changed"] and ours[1]["result"]["secrets_compared"] == "decrypted"):
        missed.append("a rotated secret is seen through the decrypted export")
    return missed


def compare(real_dashboards, tmp_dir):
    """Run every scenario on fresh doubles; (rows, findings, claims not held)."""
    rows, findings, missed = [], [], []
    fakes = []

    def make_runner():
        fakes.append(fake_grafana_server())
        return Runner(fakes[-1])

    try:
        for title, what, ours_steps, theirs_steps in scenarios(inputs(tmp_dir, real_dashboards)):
            ours_runner, ours = play(make_runner, ours_steps)
            theirs_runner, theirs = play(make_runner, theirs_steps)
            extra = ""
            if title.startswith("D7"):
                def count(runner):
                    return sum(1 for d in runner.fake.org(1).dashboards.values() if d["data"]["title"] == "MLT Dashboard")

                extra = " Dashboards titled `MLT Dashboard` afterwards: ours %d, theirs %d." % (count(ours_runner), count(theirs_runner))
            rows.append((title, what, ours, theirs, extra))
            missed.extend("%s: %s" % (title, claim) for claim in our_claims(title, ours))
            if not title.startswith("D7") and not any(r["check"] for r in ours):
                findings.append((title, idempotent(ours), idempotent(theirs)))
    finally:
        try:
            stop_and_check(fakes)
        except AssertionError as err:
            missed.append(str(err).splitlines()[0])
    return rows, findings, missed


def load_dashboards():
    folder = os.path.join(test_env.shared_dir(), "grafana", "dashboards")
    if not os.path.isdir(folder):
        raise SystemExit("the shared real dashboards are not at %s: point VIGIL_SHARED_DIR at the shared folder" % folder)
    out = {}
    for name in (NEF, MLTP):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            out[name] = json.load(handle)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite tests/reports/peer_comparison.md")
    args = parser.parse_args(argv)
    # The double speaks plain HTTP; an empty default CA bundle spares a parse of the system one per request.
    with tempfile.TemporaryDirectory(prefix="vigil-peer-") as tmp_dir:
        bundle = os.path.join(tmp_dir, "empty.pem")
        open(bundle, "w", encoding="utf-8").close()
        os.environ["SSL_CERT_FILE"] = bundle
        rows, findings, missed = compare(load_dashboards(), tmp_dir)
    report = render(rows, findings)
    print(report)
    print("our claims: %s" % ("all held" if not missed else "NOT HELD: " + "; ".join(missed)))
    if args.write:
        with open(REPORT, "w", encoding="utf-8") as handle:
            handle.write(report)
        print("tests/reports/peer_comparison.md written")
    else:
        with open(REPORT, encoding="utf-8") as handle:
            current = handle.read() == report
        print("tests/reports/peer_comparison.md: %s" % ("current" if current else "differs from this run (--write rewrites it)"))
    return 0


def render(rows, findings):
    out = ["# Peer comparison: vigil.observability vs community.grafana",
           "",
           "Generated by `benchmarks/peer_comparison/run.py --write` (do not edit; rerun it). Same inputs,",
           "same Grafana double (Grafana 12.2 behaviour, as in",
           "`shared/reference/grafana-api.md`), each side on a fresh instance, modules run in-process as",
           "Ansible runs them. Peer: community.grafana 2.3.0 as shipped in `ansible` 12.3.0, with a",
           "service-account token (`grafana_api_key`). Inputs: the real dashboards of `shared/grafana/dashboards/`",
           "and variants of them.",
           "",
           "Each cell is one run: `changed`/`ok`, then the write requests it sent (method and status).",
           ""]
    for title, what, ours, theirs, extra in rows:
        out.append("## %s" % title)
        out.append("")
        out.append("%s.%s" % (what[0].upper() + what[1:], extra))
        out.append("")
        out.append(WHY[title.split()[0]])
        out.append("")
        out.append("| run | vigil.observability | community.grafana |")
        out.append("|---|---|---|")
        for index in range(max(len(ours), len(theirs))):
            left = ours[index]["summary"] if index < len(ours) else ""
            right = theirs[index]["summary"] if index < len(theirs) else ""
            out.append("| %d | %s | %s |" % (index + 1, left, right))
        out.append("")
    out.append("## Summary: idempotent on re-run (last run: not changed, no write, no failure)")
    out.append("")
    out.append("| scenario | vigil.observability | community.grafana |")
    out.append("|---|---|---|")
    for title, ours_ok, theirs_ok in findings:
        out.append("| %s | %s | %s |" % (title, "yes" if ours_ok else "**no**", "yes" if theirs_ok else "**no**"))
    out.append("")
    out.append("D7 (no uid): ours refuses the input before writing anything (a stable uid is required); see the")
    out.append("dashboard count above for what happens otherwise. D9/C4: check mode, see the tables.")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
