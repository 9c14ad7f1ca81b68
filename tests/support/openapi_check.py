# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate recorded exchanges with the Grafana double against Grafana's own OpenAPI spec.

``shared/grafana/openapi/api-merged.json`` (Swagger 2.0) is turned into JSON Schema (Draft 4,
``#/definitions`` kept at the root) with ``jsonschema``. Each recorded exchange is matched to
its operation; the request body is validated against the ``in: body`` parameter, query
parameter names against the declared ones, and the response body against the schema declared
for the answered status.

The spec is known to be wrong or incomplete in places (its README, grafana-api.md section 10).
Every exception made here is listed in ``KNOWN_GAPS`` with the reason, and nothing else is
tolerated.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys

import jsonschema


def _find_shared(relative):
    """``<shared folder>/<relative>``; tools/test_env.py decides where the shared folder is."""
    tools = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import test_env  # pylint: disable=import-outside-toplevel
    return os.path.join(test_env.shared_dir(), relative)


SPEC_PATH = os.environ.get("VIGIL_GRAFANA_OPENAPI") or _find_shared(os.path.join("grafana", "openapi", "api-merged.json"))

# Each entry: why the spec is not followed literally, and what the checker does instead.
KNOWN_GAPS = {
    "postDashboardResponse.title": (
        "The spec marks `title` required in the POST /dashboards/db answer, but its own description says "
        "'Slug The slug of the dashboard': the Go handler answers `slug` (grafana-api.md 3.1). "
        "`title` is dropped from `required`."),
    "ProvisionedAlertRule.states": (
        "noDataState/execErrState enums omit KeepLast, which Grafana accepts (openapi README). KeepLast is added."),
    "EmbeddedContactPoint.type": (
        "The contact-point type enum lists 18 integrations; webex, sns, oncall, mqtt, jira and "
        "prometheus-alertmanager exist too (openapi README). They are added."),
    "MuteTimeInterval.fields": (
        "MuteTimeInterval lacks version/provenance and TimeInterval refers to itself (openapi README); "
        "the schema has no additionalProperties restriction, so nothing needs patching."),
    "contact-point-delete-body": (
        "DELETE /v1/provisioning/contact-points/{UID} declares 202 without a schema; the Go handler answers "
        "{\"message\": \"contactpoint deleted\"} (grafana-api.md 6). That body is accepted there."),
    "health-503": (
        "GET /health declares 503 as internalServerError (an ErrorResponseBody with `message`), but apiHealthHandler "
        "answers the health document itself with \"database\": \"failing\" (grafana-api.md 2). 503 is checked "
        "against healthResponse."),
    "frontend-settings": (
        "GET /api/frontend/settings (buildInfo.version; community.grafana reads it on every call) is served by "
        "the frontend API and absent from the spec; its answer is not checked."),
    "targetOrgId": (
        "The authentication middleware accepts ?targetOrgId= on every endpoint (grafana-api.md 1); no operation "
        "declares it. It is accepted everywhere."),
    "undeclared-error-status": (
        "The provisioning endpoints declare few error statuses, while the Go handlers answer more "
        "(grafana-api.md 6: 404 on PUT of an unknown contact point, 409 on rule uid conflicts, 403 on "
        "provenance, 401 everywhere). An undeclared 4xx/5xx answer must still be one of Grafana's four "
        "error body shapes: an object with a string `message`, or an empty body for alert-rule 404."),
    "alerting-reload": (
        "POST /api/admin/provisioning/alerting/reload exists in Grafana (pkg/api/api.go) but not in the spec; "
        "its answer is checked as the other reload endpoints' SuccessResponseBody."),
    "no-schema-status": (
        "Several alerting statuses are declared with a description only (for example 404 of GET "
        "/v1/provisioning/alert-rules/{UID} and /mute-timings/{name}): a 2xx answer must then be empty; an "
        "error answer may be empty (alert rules, grafana-api.md 6.4) or one of the error body shapes."),
}

_ERROR_BODY = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}


class OpenApi(object):
    """Operations of the spec, matched by method and concrete path."""

    def __init__(self, path=SPEC_PATH):
        with open(path, encoding="utf-8") as handle:
            spec = json.load(handle)
        self.spec = self._patch(spec)
        self.definitions = self.spec["definitions"]
        self.operations = []
        for template, item in self.spec["paths"].items():
            regex = re.compile("^/api" + re.sub(r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$")
            literal = len(re.sub(r"\{[^}]+\}", "", template))
            for method, op in item.items():
                if method == "parameters":
                    continue
                self.operations.append((method.upper(), regex, literal, template, op))
        self._validators = {}

    @staticmethod
    def _patch(spec):
        spec = copy.deepcopy(spec)
        resp = spec["responses"]["postDashboardResponse"]["schema"]
        resp["required"] = [k for k in resp["required"] if k != "title"]
        rule = spec["definitions"]["ProvisionedAlertRule"]["properties"]
        for key in ("noDataState", "execErrState"):
            rule[key]["enum"] = rule[key]["enum"] + ["KeepLast"]
        types = spec["definitions"]["EmbeddedContactPoint"]["properties"]["type"]
        types["enum"] = types["enum"] + ["webex", "sns", "oncall", "mqtt", "jira", "prometheus-alertmanager", "LINE"]
        spec["paths"]["/health"]["get"]["responses"]["503"] = {
            "description": "database failing", "schema": {"$ref": "#/definitions/healthResponse"}}
        spec["paths"]["/admin/provisioning/alerting/reload"] = copy.deepcopy(spec["paths"]["/admin/provisioning/dashboards/reload"])
        return spec

    def operation(self, method, path):
        best = None
        for op_method, regex, literal, template, op in self.operations:
            if op_method == method and regex.match(path) and (best is None or literal > best[0]):
                best = (literal, template, op)
        return (best[1], best[2]) if best else (None, None)

    def _validator(self, key, schema):
        if key not in self._validators:
            root = dict(schema)
            root["definitions"] = self.definitions
            self._validators[key] = jsonschema.Draft4Validator(root)
        return self._validators[key]

    def _resolve_response(self, response):
        if "$ref" in response:
            name = response["$ref"].split("/")[-1]
            return self.spec["responses"][name]
        return response

    def check(self, entry, check_request=True):
        """Problems (strings) with one recorded exchange; [] when it conforms."""
        method, route = entry["method"], entry["route"]
        if method == "HEAD":
            method = "GET"
        if not route.startswith("/api/") or route == "/api/frontend/settings":
            return []  # /healthz, /__fake__/... are not part of the HTTP API; see KNOWN_GAPS
        template, op = self.operation(method, route)
        if op is None:
            return ["%s %s: no such operation in the spec" % (method, route)]
        problems = []
        where = "%s %s (%s)" % (method, entry["path"], template)
        if check_request:
            declared_query = set(p["name"] for p in op.get("parameters", []) if p.get("in") == "query")
            query = entry["path"].partition("?")[2]
            for pair in filter(None, query.split("&")):
                name = pair.partition("=")[0]
                if name not in declared_query and name != "targetOrgId":
                    problems.append("%s: query parameter %r is not declared" % (where, name))
            body_params = [p for p in op.get("parameters", []) if p.get("in") == "body"]
            if body_params and entry.get("body") is not None:
                validator = self._validator(("req", method, template), body_params[0]["schema"])
                problems.extend("%s: request body: %s at %s" % (where, e.message, list(e.absolute_path))
                                for e in validator.iter_errors(entry["body"]))
            elif not body_params and entry.get("body") not in (None, "", {}):
                problems.append("%s: a body was sent to an operation that declares none" % where)
        status = str(entry["status"])
        body = entry.get("response")
        declared = op.get("responses", {})
        if status in declared:
            response = self._resolve_response(declared[status])
            schema = response.get("schema")
            if schema is None:
                # No schema: a success answer must be empty (204/202 with nothing to say); an error
                # answer may be empty (alert-rule 404) or one of Grafana's error bodies.
                if entry["status"] < 400 and body not in (None, "") and not (
                        template == "/v1/provisioning/contact-points/{UID}" and method == "DELETE"
                        and body == {"message": "contactpoint deleted"}):
                    problems.append("%s: status %s declares no body but one was returned" % (where, status))
                elif entry["status"] >= 400 and body not in (None, "") and \
                        list(self._validator(("error",), _ERROR_BODY).iter_errors(body)):
                    problems.append("%s: error status %s with a body that is none of Grafana's error shapes: %r"
                                    % (where, status, body))
            else:
                validator = self._validator(("resp", method, template, status), schema)
                problems.extend("%s: response %s: %s at %s" % (where, status, e.message, list(e.absolute_path))
                                for e in validator.iter_errors(body))
        elif entry["status"] >= 400:
            if body is not None and list(self._validator(("error",), _ERROR_BODY).iter_errors(body)):
                problems.append("%s: undeclared error status %s with a body that is none of Grafana's error "
                                "shapes: %r" % (where, status, body))
        else:
            problems.append("%s: success status %s is not declared (declared: %s)" % (where, status, sorted(declared)))
        return problems


_SPEC = []


def missing():
    """None when the spec file is there, else why not in one line (tests skip with it)."""
    if os.path.isfile(SPEC_PATH):
        return None
    return ("Grafana's OpenAPI spec is not at %s: point VIGIL_SHARED_DIR at the shared folder "
            "(or VIGIL_GRAFANA_OPENAPI at the file)" % SPEC_PATH)


def spec():
    """The parsed spec, loaded once per process."""
    if not _SPEC:
        _SPEC.append(OpenApi())
    return _SPEC[0]
