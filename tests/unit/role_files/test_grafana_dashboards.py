"""The stack dashboards bundled with the grafana role are well-formed Grafana dashboards wired to the role's data sources."""

import json
import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ROLE = os.path.join(ROOT, "roles", "grafana")
with open(os.path.join(ROLE, "vars", "main.yml"), encoding="utf-8") as _handle:
    CATALOG = yaml.safe_load(_handle)["_grafana_bundled_catalog"]
DATASOURCES = {"vigil-prometheus": "prometheus", "vigil-loki": "loki"}
BUILTIN_VARS = {"__rate_interval", "__interval", "__auto", "__range", "__all", "__tags", "__value"}


def load(name):
    with open(os.path.join(ROLE, "files", "dashboards", os.path.basename(CATALOG[name]["path"])), encoding="utf-8") as handle:
        return json.load(handle)


def test_catalog_matches_the_files():
    files = sorted(os.listdir(os.path.join(ROLE, "files", "dashboards")))
    assert all(entry["path"].startswith("{{ role_path }}/files/dashboards/") for entry in CATALOG.values())
    assert sorted(os.path.basename(entry["path"]) for entry in CATALOG.values()) == files
    with open(os.path.join(ROLE, "defaults", "main.yml"), encoding="utf-8") as handle:
        defaults = yaml.safe_load(handle)
    assert sorted(defaults["grafana_bundled_dashboards"]) == sorted(CATALOG)
    folders = {f["uid"] for f in defaults["grafana_folders"]}
    assert {entry["folder_uid"] for entry in CATALOG.values()} <= folders


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_dashboard_is_well_formed(name):
    board = load(name)
    assert board["uid"] == "vigil-" + name and len(board["uid"]) <= 40
    assert board.get("id") is None
    assert board["title"] and "vigil" in board["tags"]
    assert isinstance(board["schemaVersion"], int)
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    variables = {v["name"] for v in board["templating"]["list"]}
    for panel in board["panels"]:
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 24 and grid["h"] > 0
        assert panel["datasource"]["uid"] in DATASOURCES
        assert panel["datasource"]["type"] == DATASOURCES[panel["datasource"]["uid"]]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            expr = target["expr"]
            assert target["datasource"] == panel["datasource"]
            assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}"), expr
            assert expr.count("[") == expr.count("]"), expr
            for used in re.findall(r"\$(\w+)", expr):
                assert used in variables or used in BUILTIN_VARS, (panel["title"], used)
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"]["uid"] in DATASOURCES


def test_panels_do_not_overlap():
    for name in CATALOG:
        cells = set()
        for panel in load(name)["panels"]:
            grid = panel["gridPos"]
            for x in range(grid["x"], grid["x"] + grid["w"]):
                for y in range(grid["y"], grid["y"] + grid["h"]):
                    assert (x, y) not in cells, (name, panel["title"])
                    cells.add((x, y))


def test_spm_dashboard_reads_the_spanmetrics_series():
    exprs = " ".join(t["expr"] for p in load("jaeger-spm")["panels"] for t in p["targets"])
    assert "traces_span_metrics_calls_total" in exprs
    assert "traces_span_metrics_duration_milliseconds_bucket" in exprs


def test_loki_selectors_are_not_empty_compatible():
    board = load("loki")
    instance = [v for v in board["templating"]["list"] if v["name"] == "instance"][0]
    assert instance["allValue"] == ".+"
