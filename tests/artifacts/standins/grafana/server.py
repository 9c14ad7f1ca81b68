# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Grafana TEST STAND-IN for the vigil.observability test mirror (not Grafana).

``bin/grafana`` of the stand-in release tree. ``grafana server --homepath=<dir> --config=<ini>``
reads the configuration the way Grafana does (``conf/defaults.ini`` under the home path, then the
--config file, then ``GF_<SECTION>_<KEY>`` environment variables and their ``__FILE`` variants,
then ``cfg:`` arguments; ``$__file{}``, ``$__env{}`` and ``${VAR}`` expansion; go-ini's triple
quotes), loads the data source provisioning files (a broken one stops the start, as in Grafana),
the plugins directory, and serves the collection's stateful Grafana API double
(tests/support/grafana_double, packaged at build time) with the configured admin credentials,
address, port and TLS. State is kept below the data path, so it survives restarts as Grafana's
database does. Additions to the double: data source health checks (a TCP probe of the data
source URL), the data source provisioning reload, and the plugin list.
"""

import configparser
import json
import os
import pickle
import re
import signal
import socket
import ssl
import sys
import threading
from urllib.parse import urlsplit

import yaml

HOME = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(HOME, "lib", "vigil-standin"))

from grafana_double import common, routes_datasources, routing, server as double

VERSION = "@VERSION@"
BANNER = "grafana version %s (vigil.observability TEST STAND-IN, not Grafana)" % VERSION
STATE_FILE = "grafana.db.standin"


def die(message):
    sys.stderr.write('logger=server level=error msg=%s\n' % json.dumps(message))
    sys.exit(1)


def log(message, **fields):
    extra = "".join(" %s=%s" % (k, json.dumps(str(v))) for k, v in fields.items())
    sys.stderr.write("logger=standin level=info msg=%s%s\n" % (json.dumps(message), extra))
    sys.stderr.flush()


# --- settings ---------------------------------------------------------------------------------

def expand(value, where):
    """Grafana's variable expansion in setting values."""
    def file_(match):
        path = match.group(1)
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            die("failed to expand variable in %s: $__file{%s}: %s" % (where, path, exc.strerror))
    value = re.sub(r"\$__file\{([^}]*)\}", file_, value)
    value = re.sub(r"\$__env\{([^}]*)\}", lambda m: os.environ.get(m.group(1), ""), value)
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: os.environ.get(m.group(1), ""), value)


def read_ini(path, settings, required):
    parser = configparser.RawConfigParser(default_section="__none__", strict=False, delimiters=("=",),
                                          comment_prefixes=(";", "#"), inline_comment_prefixes=None)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        if required:
            die("failed to load %s: %s" % (path, exc.strerror))
        return
    top = []
    lines = text.splitlines()
    while lines and not lines[0].lstrip().startswith("["):
        top.append(lines.pop(0))
    try:
        parser.read_string("[__top__]\n" + "\n".join(top) + "\n" + "\n".join(lines), source=path)
    except configparser.Error as exc:
        die("failed to parse %s: %s" % (path, exc))
    for section in parser.sections():
        name = "" if section == "__top__" else section
        for key, value in parser.items(section):
            value = value.strip()
            match = re.match(r'^"""(.*)"""$', value, re.S) or re.match(r"^`(.*)`$", value, re.S)
            if match:
                value = match.group(1)
            settings.setdefault(name, {})[key] = value


def load_settings(home, config, overrides):
    settings = {}
    read_ini(os.path.join(home, "conf", "defaults.ini"), settings, required=True)
    if config:
        read_ini(config, settings, required=True)
    for name, value in os.environ.items():
        if not name.startswith("GF_"):
            continue
        file_var = name.endswith("__FILE")
        key = name[3:-6] if file_var else name[3:]
        if file_var:
            try:
                with open(value, encoding="utf-8") as handle:
                    value = handle.read().strip()
            except OSError as exc:
                die("%s: %s" % (name, exc))
        for section in list(settings):
            prefix = section.upper().replace(".", "_").replace("-", "_") + "_"
            if key.startswith(prefix):
                settings[section][key[len(prefix):].lower()] = value
    for section_key, value in overrides.items():
        section, key = section_key.rpartition(".")[::2]
        settings.setdefault(section, {})[key] = value
    for section, items in settings.items():
        for key, value in list(items.items()):
            value = expand(value, "%s.%s" % (section or "default", key))
            items[key] = re.sub(r"%\(([a-z_]+)\)s", lambda m, s=items: s.get(m.group(1), ""), value)
    return settings


def path_setting(home, value):
    return value if os.path.isabs(value) else os.path.join(home, value)


# --- state ------------------------------------------------------------------------------------

class StandinGrafana(double.FakeGrafana):
    """The double, persisting its state after every successful change."""

    state_path = None

    def record(self, method, raw_path, path, headers, body, status, payload):
        double.FakeGrafana.record(self, method, raw_path, path, headers, body, status, payload)
        if method in common.MUTATING and status < 300 and not path.startswith("/__fake__"):
            with self.state.lock:
                save_state(self)


def save_state(fake):
    data = dict((k, v) for k, v in vars(fake.state).items() if k != "lock")
    tmp = fake.state_path + ".tmp"
    with open(tmp, "wb") as handle:
        pickle.dump(data, handle, protocol=4)
    os.chmod(tmp, 0o640)
    os.replace(tmp, fake.state_path)


def load_state(fake):
    if not os.path.exists(fake.state_path):
        return False
    with open(fake.state_path, "rb") as handle:
        data = pickle.load(handle)
    fake.state.__dict__.update(data)
    return True


# --- provisioning -----------------------------------------------------------------------------

def interpolate(text):
    """Provisioning files: $$ is a literal $, ${VAR} and $VAR come from the environment."""
    def repl(match):
        if match.group(0) == "$$":
            return "$"
        return os.environ.get(match.group(1) or match.group(2), "")
    return re.sub(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", repl, text)


def provisioning_files(directory):
    if not os.path.isdir(directory):
        return []
    return [os.path.join(directory, n) for n in sorted(os.listdir(directory)) if n.endswith((".yml", ".yaml"))]


def read_provisioning(path):
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(interpolate(handle.read())) or {}
        except yaml.YAMLError as exc:
            raise ValueError("%s: %s" % (path, exc))
    if not isinstance(data, dict):
        raise ValueError("%s: not a mapping" % path)
    return data


def load_datasources(fake, directory):
    """Apply every datasources/*.yml the way Grafana's provisioning does; ValueError on a bad file."""
    wanted = []
    for path in provisioning_files(os.path.join(directory, "datasources")):
        data = read_provisioning(path)
        if data.get("apiVersion") not in (0, 1):
            raise ValueError("%s: unsupported apiVersion %r" % (path, data.get("apiVersion")))
        for index, item in enumerate(data.get("datasources") or []):
            where = "%s: datasources[%d]" % (path, index)
            if not isinstance(item, dict) or not item.get("name") or not item.get("type"):
                raise ValueError("%s: data source needs a name and a type" % where)
            uid = str(item.get("uid") or "")
            if uid and (len(uid) > 40 or not common.UID_RE.match(uid)):
                raise ValueError("%s: invalid uid %r" % (where, uid))
            wanted.append(item)
        for item in data.get("deleteDatasources") or []:
            org = fake.state.orgs.get(int(item.get("orgId") or 1))
            for rec in list((org.datasources if org else {}).values()):
                if rec["name"] == item.get("name"):
                    del org.datasources[rec["uid"]]
    defaults = [i for i in wanted if i.get("isDefault")]
    if len(defaults) > 1:
        raise ValueError("datasource provisioning: more than one default data source (%s)"
                         % ", ".join(i["name"] for i in defaults))
    for item in wanted:
        org = fake.state.orgs.get(int(item.get("orgId") or 1))
        if org is None:
            raise ValueError("data source %s: organisation %s not found" % (item["name"], item.get("orgId")))
        uid = str(item.get("uid") or "") or common.new_uid()
        rec = org.datasources.get(uid) or next((r for r in org.datasources.values() if r["name"] == item["name"]), None)
        body = {"name": item["name"], "type": item["type"], "access": item.get("access", "proxy"),
                "url": item.get("url", ""), "user": item.get("user", ""), "database": item.get("database", ""),
                "basicAuth": bool(item.get("basicAuth")), "basicAuthUser": item.get("basicAuthUser", ""),
                "withCredentials": bool(item.get("withCredentials")), "isDefault": bool(item.get("isDefault")),
                "jsonData": item.get("jsonData") or {}, "secureJsonData": item.get("secureJsonData") or {}}
        if rec is None:
            rec = dict(routes_datasources.DS_DEFAULTS, id=fake.state.ident(), uid=uid, version=1, secure={})
            routes_datasources._ds_apply(org, rec, body, creating=True)
            org.datasources[uid] = rec
        else:
            if rec["uid"] != uid:
                org.datasources.pop(rec["uid"])
                rec["uid"] = uid
                org.datasources[uid] = rec
            routes_datasources._ds_apply(org, rec, body, creating=False)
            rec["version"] += 1
        rec["readOnly"] = not item.get("editable", False)


def check_dashboard_providers(directory):
    for path in provisioning_files(os.path.join(directory, "dashboards")):
        data = read_provisioning(path)
        for index, provider in enumerate(data.get("providers") or []):
            if not isinstance(provider, dict) or not provider.get("name"):
                raise ValueError("%s: providers[%d] needs a name" % (path, index))


def load_plugins(directory):
    plugins = {}
    if not os.path.isdir(directory):
        return plugins
    for name in sorted(os.listdir(directory)):
        manifest = os.path.join(directory, name, "plugin.json")
        if not os.path.isfile(manifest):
            continue
        try:
            with open(manifest, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            log("could not load plugin", path=manifest, error=exc)
            continue
        if data.get("id") != name:
            log("plugin directory and id differ", dir=name, id=data.get("id"))
        plugins[data.get("id") or name] = data
    return plugins


# --- routes the double does not have ------------------------------------------------------------

def add_route(method, pattern, role, func):
    routing.ROUTES.insert(0, (method, re.compile("^" + pattern + "$"), role, func))


def install_routes(runtime):
    def datasource_health(ctx):
        rec = routes_datasources.get_ds(ctx, ctx.params["uid"])
        url = urlsplit(rec["url"] or "")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            socket.create_connection((url.hostname, port), timeout=3).close()
        except (OSError, TypeError, ValueError) as exc:
            return 400, {"status": "ERROR", "message": "%s: Post \"%s\": dial tcp %s:%s: %s"
                         % (rec["name"], rec["url"], url.hostname, port, getattr(exc, "strerror", None) or exc)}
        return {"status": "OK", "message": "Data source is working (stand-in: %s:%s answers)" % (url.hostname, port)}

    def reload_datasources(ctx):
        if not (ctx.identity or {}).get("server_admin"):
            raise common.legacy(403, "Permission denied: requires Grafana server admin")
        try:
            load_datasources(runtime["fake"], runtime["provisioning"])
        except ValueError as exc:
            return 500, {"message": "Failed to reload datasources config", "error": str(exc)}
        return {"message": "Datasources config reloaded"}

    def plugins(ctx):
        return [{"id": pid, "name": data.get("name", pid), "type": data.get("type", "panel"), "enabled": True,
                 "pinned": False, "info": data.get("info") or {}, "signature": "stand-in", "hasUpdate": False}
                for pid, data in sorted(runtime["plugins"].items())]

    add_route("GET", r"/api/datasources/uid/(?P<uid>[^/]+)/health", "Viewer", datasource_health)
    add_route("POST", r"/api/admin/provisioning/datasources/reload", "Viewer", reload_datasources)
    add_route("GET", r"/api/plugins", "Viewer", plugins)


# --- command line -----------------------------------------------------------------------------

def parse_server_args(argv):
    flags, overrides = {}, {}
    for arg in argv:
        if arg.startswith("cfg:"):
            key, value = arg[4:].partition("=")[::2]
            overrides[key[len("default."):] if key.startswith("default.") else key] = value
        elif arg.startswith("-"):
            name, value = arg.lstrip("-").partition("=")[::2]
            if name not in ("config", "homepath", "pidfile", "packaging", "profile", "tracing", "vv"):
                die("flag provided but not defined: -%s" % name)
            flags[name] = value
        else:
            die("unexpected argument %r" % arg)
    return flags, overrides


def serve(argv):
    flags, overrides = parse_server_args(argv)
    home = flags.get("homepath") or HOME
    settings = load_settings(home, flags.get("config"), overrides)
    paths, server, security = settings.get("paths", {}), settings.get("server", {}), settings.get("security", {})
    data = path_setting(home, paths.get("data", "data"))
    provisioning = path_setting(home, paths.get("provisioning", "conf/provisioning"))
    plugins_dir = path_setting(home, paths.get("plugins", "data/plugins"))
    for directory in (data, path_setting(home, paths.get("logs", "data/log"))):
        try:
            os.makedirs(directory, exist_ok=True)
            probe = os.path.join(directory, ".standin-write-test")
            with open(probe, "w", encoding="utf-8") as handle:
                handle.write("ok\n")
            os.remove(probe)
        except OSError as exc:
            die("%s is not writable: %s" % (directory, exc))
    if flags.get("pidfile"):
        with open(flags["pidfile"], "w", encoding="ascii") as handle:
            handle.write("%d\n" % os.getpid())
    host = server.get("http_addr") or "0.0.0.0"
    port = int(server.get("http_port") or 3000)
    fake = StandinGrafana(host, port, security.get("admin_user", "admin"), security.get("admin_password", "admin"), VERSION)
    fake.state_path = os.path.join(data, STATE_FILE)
    restored = load_state(fake)
    fake.state.min_refresh_interval = settings.get("dashboards", {}).get("min_refresh_interval", "5s")
    runtime = {"provisioning": provisioning, "plugins": load_plugins(plugins_dir), "fake": fake}
    install_routes(runtime)
    try:
        load_datasources(fake, provisioning)
        check_dashboard_providers(provisioning)
    except ValueError as exc:
        die("Datasource provisioning error: %s" % exc)
    save_state(fake)
    try:
        httpd = fake.serve_forever()
    except OSError as exc:
        die("failed to open listener on address %s:%d: %s" % (host, port, exc.strerror))
    if server.get("protocol", "http") == "https":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            context.load_cert_chain(server.get("cert_file", ""), server.get("cert_key", ""))
        except (OSError, ssl.SSLError) as exc:
            die("failed to load TLS certificate %s: %s" % (server.get("cert_file"), exc))
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown, daemon=True).start())
    log("HTTP Server Listen", address="%s:%d" % (host, port), protocol=server.get("protocol", "http"),
        state="restored" if restored else "new", plugins=",".join(sorted(runtime["plugins"])), standin="true")
    httpd.serve_forever()
    httpd.server_close()
    return 0


def main(argv):
    if any(a in ("-v", "--version", "-version", "-V") for a in argv):
        print(BANNER)
        return 0
    if not argv or argv[0] in ("-h", "--help", "help"):
        print("Usage: grafana server --homepath=<dir> --config=<grafana.ini> [cfg:section.key=value ...]\n" + BANNER)
        return 0
    if argv[0] == "server":
        return serve(argv[1:])
    sys.stderr.write("grafana %s: not supported by the vigil.observability test stand-in\n" % argv[0])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
