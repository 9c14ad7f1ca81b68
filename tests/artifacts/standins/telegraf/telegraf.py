"""Telegraf TEST STAND-IN for the vigil.observability test mirror (not InfluxData Telegraf).

Behaves like the parts of ``telegraf`` the collection relies on:

- ``telegraf --version`` / ``telegraf version``: says plainly that this is a stand-in;
- ``telegraf config check --config FILE --config-directory DIR``: reads the TOML files the way
  Telegraf does (``${VAR}`` environment substitution first, then TOML), checks every plugin name
  against Telegraf's plugin list, the options of the plugins it models, agent durations and the
  files the prometheus_client output needs; exits 1 with an ``E!`` message on any problem;
- ``telegraf --test --config FILE ...``: the same checks, then one gathering printed as line
  protocol (what Telegraf before 1.32 offered as a check);
- ``telegraf --config FILE --config-directory DIR``: runs; every ``[[outputs.prometheus_client]]``
  serves its ``listen`` address and ``path`` with basic auth, ``ip_range`` and TLS as configured;
  a scrape gathers the modelled inputs from /proc, the Docker socket and the application
  endpoints of ``[[inputs.prometheus]]``; ``READY=1`` goes to systemd (``Type=notify``); SIGHUP
  re-reads the configuration (and, like Telegraf, exits when the new one is invalid).

Python 3.11+ standard library only; the builder fills in VERSION and PLUGINS.
"""
from __future__ import annotations

import base64
import datetime
import glob
import hmac
import http.client
import http.server
import ipaddress
import json
import os
import re
import signal
import socket
import socketserver
import ssl
import sys
import threading
import time
import tomllib
import urllib.parse
import urllib.request

VERSION = "0.0.0"  # replaced by the builder
PLUGINS = {}  # replaced by the builder: tests/artifacts/standins/telegraf/plugins.json
STANDIN = "vigil.observability TEST STAND-IN, not InfluxData Telegraf"
SECTIONS = ("inputs", "outputs", "processors", "aggregators", "secretstores")
DURATION = re.compile(r"^(?:0|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|ms|s|m|h))+$")
ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


class ConfigError(Exception):
    pass


def log(level, message):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    sys.stderr.write("%s %s! %s\n" % (stamp, level, message))
    sys.stderr.flush()


# --- configuration ---------------------------------------------------------------------------

def substitute(text, environ):
    """Telegraf >= 1.27: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}."""
    def replace(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        value = environ.get(name)
        if op in (":-", ":?"):
            missing = not value
        else:
            missing = value is None
        if op in (":-", "-") and missing:
            return arg
        if op in (":?", "?") and missing:
            raise ConfigError("environment variable %s: %s" % (name, arg or "not set"))
        return value or ""
    return ENV.sub(replace, text)


def parse_duration(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        if value == "":
            return 0.0
        if DURATION.match(value):
            units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
            return sum(float(n) * units[u] for n, u in re.findall(r"([0-9.]+)(ns|us|µs|ms|s|m|h)", value))
    return None


def config_files(files, directories):
    out = list(files)
    for directory in directories:
        if not os.path.isdir(directory):
            raise ConfigError("error walking config directory %s: not a directory" % directory)
        out.extend(sorted(glob.glob(os.path.join(directory, "**", "*.conf"), recursive=True)))
    return out


def load(files, directories, environ=None):
    """Merge and check every configuration file; the parsed configuration or ConfigError."""
    environ = os.environ if environ is None else environ
    paths = config_files(files, directories)
    if not paths:
        raise ConfigError("no configuration file given (--config or --config-directory)")
    merged = {"agent": {}, "global_tags": {}, "plugins": []}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise ConfigError("error loading config file %s: %s" % (path, exc.strerror)) from None
        try:
            data = tomllib.loads(substitute(text, environ))
        except (tomllib.TOMLDecodeError, ConfigError) as exc:
            raise ConfigError("error loading config file %s: error parsing data: %s" % (path, exc)) from None
        try:
            check_file(data, merged)
        except ConfigError as exc:
            raise ConfigError("error loading config file %s: %s" % (path, exc)) from None
    return merged


def check_file(data, merged):
    for name, value in data.items():
        if name == "agent":
            if not isinstance(value, dict):
                raise ConfigError("invalid configuration: [agent] must be a table")
            check_agent(value)
            merged["agent"].update(value)
        elif name in ("global_tags", "tags"):
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError("invalid configuration: [global_tags] must be a table of strings")
            merged["global_tags"].update(value)
        elif name in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError("unsupported config format: %s" % name)
            for plugin, blocks in value.items():
                for block in blocks_of(name, plugin, blocks):
                    check_plugin(name, plugin, block)
                    merged["plugins"].append((name, plugin, block))
        else:
            # Telegraf reads other top-level tables as inputs (legacy configuration files).
            for block in blocks_of("inputs", name, value):
                check_plugin("inputs", name, block)
                merged["plugins"].append(("inputs", name, block))


def blocks_of(section, plugin, value):
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise ConfigError("error parsing %s, unsupported config format: %s.%s must be a table" % (plugin, section, plugin))


def check_agent(agent):
    known = PLUGINS.get("agent", [])
    unknown = sorted(set(agent) - set(known))
    if unknown:
        raise ConfigError("plugin agent: configuration specified the fields %s, but they were not used; "
                          "this is either a typo or this config option does not exist in this version"
                          % json.dumps(unknown))
    for key in PLUGINS.get("agent_durations", []):
        if key in agent and parse_duration(agent[key]) is None:
            raise ConfigError("error parsing agent, invalid duration %r for %s" % (agent[key], key))
    for key in ("metric_batch_size", "metric_buffer_limit"):
        if key in agent and (isinstance(agent[key], bool) or not isinstance(agent[key], int) or agent[key] <= 0):
            raise ConfigError("error parsing agent, %s must be a positive integer" % key)
    for key in ("round_interval", "omit_hostname", "debug", "quiet"):
        if key in agent and not isinstance(agent[key], bool):
            raise ConfigError("error parsing agent, %s must be a boolean" % key)


def check_plugin(section, plugin, block):
    kind = section[:-1]
    known = PLUGINS.get(section, {})
    if plugin not in known:
        raise ConfigError("error parsing %s, undefined but requested %s: %s" % (plugin, kind, plugin))
    options = known[plugin]
    if options is not None:
        allowed = set(options) | set(PLUGINS.get("common", {}).get(section, []))
        unknown = sorted(set(block) - allowed)
        if unknown:
            raise ConfigError("plugin %s.%s: configuration specified the fields %s, but they were not used; this "
                              "is either a typo or this config option does not exist in this version"
                              % (section, plugin, json.dumps(unknown)))
    for key in ("interval", "flush_interval", "collection_jitter", "timeout", "expiration_interval",
                "read_timeout", "write_timeout", "response_timeout", "period", "delay"):
        if key in block and parse_duration(block[key]) is None:
            raise ConfigError("error parsing %s, invalid duration %r for %s" % (plugin, block[key], key))
    if "tags" in block and (not isinstance(block["tags"], dict)
                            or not all(isinstance(v, str) for v in block["tags"].values())):
        raise ConfigError("error parsing %s, tags must be a table of strings" % plugin)
    if (section, plugin) == ("inputs", "prometheus"):
        urls = block.get("urls", [])
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise ConfigError("error parsing prometheus, urls must be an array of strings")
        for url in urls:
            parsed = urllib.parse.urlsplit(url)
            if parsed.scheme not in ("http", "https", "unix") or not (parsed.netloc or parsed.path):
                raise ConfigError("plugin inputs.prometheus: could not parse URL %s" % json.dumps(url))
        if not urls and not block.get("kubernetes_services") and not block.get("monitor_kubernetes_pods"):
            raise ConfigError("plugin inputs.prometheus: no urls, kubernetes_services or monitor_kubernetes_pods given")
        if block.get("metric_version", 1) not in (1, 2):
            raise ConfigError("plugin inputs.prometheus: invalid metric_version %r" % block.get("metric_version"))
    if (section, plugin) == ("outputs", "prometheus_client"):
        check_prometheus_client(block)


def listen_address(listen):
    if not isinstance(listen, str):
        raise ConfigError("plugin outputs.prometheus_client: listen must be a string")
    match = re.match(r"^(?:https?://)?(\[[^\]]*\]|[^:\[\]]*):([0-9]{1,5})$", listen)
    if not match or int(match.group(2)) > 65535:
        raise ConfigError("plugin outputs.prometheus_client: invalid listen address %r" % listen)
    return match.group(1).strip("[]"), int(match.group(2))


def check_prometheus_client(block):
    listen_address(block.get("listen", ":9273"))
    if block.get("metric_version", 1) not in (1, 2):
        raise ConfigError("plugin outputs.prometheus_client: invalid metric_version %r" % block.get("metric_version"))
    for cidr in block.get("ip_range", []):
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise ConfigError("plugin outputs.prometheus_client: invalid ip_range %r" % cidr) from None
    cert, key = block.get("tls_cert", ""), block.get("tls_key", "")
    if bool(cert) != bool(key):
        raise ConfigError("plugin outputs.prometheus_client: tls_cert and tls_key must be given together")
    if cert:
        try:
            tls_context(block)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError("plugin outputs.prometheus_client: could not load keypair %s:%s: %s"
                              % (cert, key, exc)) from None
    if not isinstance(block.get("metric_types", {}), dict):
        raise ConfigError("plugin outputs.prometheus_client: metric_types must be a table")


def tls_context(block):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(block["tls_cert"], block["tls_key"])
    if block.get("tls_allowed_cacerts"):
        context.verify_mode = ssl.CERT_REQUIRED
        for ca in block["tls_allowed_cacerts"]:
            context.load_verify_locations(ca)
    return context


# --- gathering -------------------------------------------------------------------------------

def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def gather_cpu(options):
    out = []
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice"]
    for line in read("/proc/stat").splitlines():
        parts = line.split()
        if not parts or not parts[0].startswith("cpu"):
            continue
        cpu = "cpu-total" if parts[0] == "cpu" else parts[0]
        if cpu == "cpu-total" and not options.get("totalcpu", True):
            continue
        if cpu != "cpu-total" and not options.get("percpu", True):
            continue
        values = dict(zip(names, (int(v) for v in parts[1:])))
        total = sum(values.get(n, 0) for n in names[:8]) or 1
        fields = {"usage_" + n: 100.0 * values.get(n, 0) / total for n in names}
        if options.get("collect_cpu_time"):
            fields.update({"time_" + n: values.get(n, 0) / ticks for n in names})
        if options.get("report_active"):
            fields["usage_active"] = 100.0 - fields["usage_idle"] - fields["usage_iowait"]
        out.append(("cpu", {"cpu": cpu}, fields))
    return out


def gather_mem(_options):
    info = {}
    for line in read("/proc/meminfo").splitlines():
        key, rest = (line.split(":", 1) + [""])[:2]
        if rest.strip():
            info[key] = int(rest.split()[0]) * 1024
    total, available = info.get("MemTotal", 0), info.get("MemAvailable", 0)
    used = total - available
    fields = {"total": total, "available": available, "used": used, "free": info.get("MemFree", 0),
              "buffered": info.get("Buffers", 0), "cached": info.get("Cached", 0),
              "used_percent": 100.0 * used / total if total else 0.0,
              "available_percent": 100.0 * available / total if total else 0.0}
    return [("mem", {}, fields)]


def gather_disk(options):
    ignore = set(options.get("ignore_fs", []))
    wanted = set(options.get("mount_points", []))
    out = []
    for line in read("/proc/self/mounts").splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        device, path, fstype, opts = parts[0], parts[1].replace("\\040", " "), parts[2], parts[3]
        if fstype in ignore or (wanted and path not in wanted):
            continue
        try:
            stat = os.statvfs(path)
        except OSError:
            continue
        if stat.f_blocks == 0:
            continue
        total, free = stat.f_blocks * stat.f_frsize, stat.f_bavail * stat.f_frsize
        used = total - stat.f_bfree * stat.f_frsize
        fields = {"total": total, "free": free, "used": used,
                  "used_percent": 100.0 * used / (used + free) if used + free else 0.0,
                  "inodes_total": stat.f_files, "inodes_free": stat.f_ffree,
                  "inodes_used": stat.f_files - stat.f_ffree}
        tags = {"path": path, "device": os.path.basename(device), "fstype": fstype,
                "mode": "ro" if "ro" in opts.split(",") else "rw"}
        out.append(("disk", tags, fields))
    return out


def gather_diskio(options):
    wanted = options.get("devices", [])
    out = []
    for line in read("/proc/diskstats").splitlines():
        parts = line.split()
        if len(parts) < 14:
            continue
        name = parts[2]
        if wanted and not any(re.fullmatch(p.replace("*", ".*"), name) for p in wanted):
            continue
        if name.startswith(("loop", "ram")):
            continue
        values = [int(v) for v in parts[3:14]]
        fields = {"reads": values[0], "read_bytes": values[2] * 512, "read_time": values[3],
                  "writes": values[4], "write_bytes": values[6] * 512, "write_time": values[7],
                  "iops_in_progress": values[8], "io_time": values[9], "weighted_io_time": values[10]}
        out.append(("diskio", {"name": name}, fields))
    return out


def gather_net(options):
    wanted = options.get("interfaces", [])
    out = []
    for line in read("/proc/net/dev").splitlines()[2:]:
        name, rest = (line.split(":", 1) + [""])[:2]
        name = name.strip()
        values = [int(v) for v in rest.split()]
        if len(values) < 16:
            continue
        if wanted:
            if not any(re.fullmatch(p.replace("*", ".*"), name) for p in wanted):
                continue
        elif name == "lo":
            continue
        fields = {"bytes_recv": values[0], "packets_recv": values[1], "err_in": values[2], "drop_in": values[3],
                  "bytes_sent": values[8], "packets_sent": values[9], "err_out": values[10], "drop_out": values[11]}
        out.append(("net", {"interface": name}, fields))
    return out


def gather_system(_options):
    load = (read("/proc/loadavg").split() + ["0", "0", "0"])[:3]
    uptime = float((read("/proc/uptime").split() or ["0"])[0])
    fields = {"load1": float(load[0]), "load5": float(load[1]), "load15": float(load[2]),
              "n_cpus": os.cpu_count() or 1, "n_users": 0, "uptime": int(uptime)}
    return [("system", {}, fields)]


def gather_processes(_options):
    states = {"R": "running", "S": "sleeping", "D": "blocked", "Z": "zombies", "T": "stopped", "t": "stopped",
              "I": "idle", "X": "dead", "P": "parked"}
    fields = {v: 0 for v in states.values()}
    fields.update({"total": 0, "total_threads": 0, "unknown": 0})
    for stat in glob.glob("/proc/[0-9]*/stat"):
        text = read(stat)
        if ")" not in text:
            continue
        rest = text.rsplit(")", 1)[1].split()
        fields["total"] += 1
        fields[states.get(rest[0], "unknown")] += 1
        fields["total_threads"] += int(rest[17]) if len(rest) > 17 else 1
    return [("processes", {}, fields)]


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def gather_docker(options):
    endpoint = options.get("endpoint", "unix:///var/run/docker.sock")
    timeout = parse_duration(options.get("timeout", "5s")) or 5.0
    if not endpoint.startswith("unix://"):
        raise RuntimeError("the stand-in only talks to Docker over a unix socket, not %s" % endpoint)
    connection = UnixHTTPConnection(endpoint[len("unix://"):], timeout)
    try:
        connection.request("GET", "/info")
        response = connection.getresponse()
        body = response.read()
    except OSError as exc:
        raise RuntimeError("error getting docker info: %s" % exc) from None
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError("error getting docker info: HTTP %d" % response.status)
    info = json.loads(body)
    tags = {"engine_host": info.get("Name", ""), "server_version": info.get("ServerVersion", "")}
    fields = {"n_containers": info.get("Containers", 0), "n_containers_running": info.get("ContainersRunning", 0),
              "n_containers_stopped": info.get("ContainersStopped", 0),
              "n_containers_paused": info.get("ContainersPaused", 0), "n_images": info.get("Images", 0),
              "n_cpus": info.get("NCPU", 0), "memory_total": info.get("MemTotal", 0)}
    return [("docker", tags, fields)]


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def gather_prometheus(options):
    out = []
    timeout = parse_duration(options.get("timeout", "3s")) or 3.0
    for url in options.get("urls", []):
        request = urllib.request.Request(url, headers={"Accept": "text/plain;version=0.0.4"})
        if options.get("username"):
            token = base64.b64encode(("%s:%s" % (options["username"], options.get("password", ""))).encode()).decode()
            request.add_header("Authorization", "Basic " + token)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode("utf-8", "replace")
        except OSError as exc:
            log("E", "[inputs.prometheus] Error in plugin: error making HTTP request to %s: %s" % (json.dumps(url), exc))
            continue
        for line in text.splitlines():
            match = SAMPLE.match(line)
            if not match or line.startswith("#"):
                continue
            try:
                value = float(match.group(3))
            except ValueError:
                continue
            labels = {k: v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
                      for k, v in LABEL.findall(match.group(2) or "")}
            if options.get("url_tag", "url"):
                labels[options.get("url_tag", "url")] = url
            out.append(("prometheus", labels, {match.group(1): value}))
    return out


GATHER = {"cpu": gather_cpu, "mem": gather_mem, "disk": gather_disk, "diskio": gather_diskio, "net": gather_net,
          "system": gather_system, "processes": gather_processes, "docker": gather_docker,
          "prometheus": gather_prometheus}


def gather(config):
    """Every modelled input once: a list of (name, tags, fields)."""
    agent = config["agent"]
    base = dict(config["global_tags"])
    if not agent.get("omit_hostname", False):
        base["host"] = agent.get("hostname") or socket.gethostname()
    metrics = []
    for section, plugin, block in config["plugins"]:
        if section != "inputs" or plugin not in GATHER:
            continue
        try:
            gathered = GATHER[plugin](block)
        except (RuntimeError, OSError, ValueError) as exc:
            log("E", "[inputs.%s] Error in plugin: %s" % (plugin, exc))
            continue
        for name, tags, fields in gathered:
            if block.get("name_override"):
                name = block["name_override"]
            name = block.get("name_prefix", "") + name + block.get("name_suffix", "")
            metrics.append((name, dict(base, **block.get("tags", {}), **tags), fields))
    return metrics


def line_protocol(metrics):
    def esc(value):
        return str(value).replace("\\", "\\\\").replace(",", "\\,").replace(" ", "\\ ").replace("=", "\\=")
    now = time.time_ns()
    lines = []
    for name, tags, fields in metrics:
        tag_text = "".join(",%s=%s" % (esc(k), esc(v)) for k, v in sorted(tags.items()) if v != "")
        field_text = ",".join("%s=%s" % (esc(k), ("%di" % v) if isinstance(v, int) else repr(float(v)))
                              for k, v in sorted(fields.items()))
        lines.append("> %s%s %s %d" % (esc(name), tag_text, field_text, now))
    return "\n".join(lines)


# --- prometheus_client output ----------------------------------------------------------------

def exposition(metrics, block):
    version = block.get("metric_version", 1)
    series = {}
    for name, tags, fields in metrics:
        for field, value in fields.items():
            if name == "prometheus" and version == 2:
                metric = field
            else:
                metric = "%s_%s" % (name, field) if field != "value" else name
            metric = re.sub(r"[^a-zA-Z0-9_:]", "_", metric)
            series.setdefault(metric, []).append((tags, value))
    if "process" not in block.get("collectors_exclude", []):
        rss = int((read("/proc/self/statm").split() or ["0", "0"])[1]) * os.sysconf("SC_PAGE_SIZE")
        series["process_resident_memory_bytes"] = [({}, rss)]
        series["process_start_time_seconds"] = [({}, START)]
    lines = []
    for metric in sorted(series):
        lines.append("# HELP %s Telegraf collected metric" % metric)
        lines.append("# TYPE %s %s" % (metric, "untyped" if version == 1 else "gauge"))
        for tags, value in series[metric]:
            labels = ",".join('%s="%s"' % (re.sub(r"[^a-zA-Z0-9_]", "_", k),
                                           str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))
                              for k, v in sorted(tags.items()))
            lines.append("%s%s %s" % (metric, "{%s}" % labels if labels else "", repr(float(value))))
    return ("\n".join(lines) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "telegraf-standin"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet, like Telegraf
        pass

    def reply(self, status, body, content_type="text/plain; charset=utf-8", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        block = self.server.block
        ranges = block.get("ip_range", [])
        if ranges:
            client = ipaddress.ip_address(self.client_address[0].replace("::ffff:", ""))
            if not any(client in ipaddress.ip_network(r, strict=False) for r in ranges):
                self.reply(403, b"Forbidden\n")
                return
        if block.get("basic_username"):
            expected = "%s:%s" % (block["basic_username"], block.get("basic_password", ""))
            given = self.headers.get("Authorization", "")
            decoded = ""
            if given.startswith("Basic "):
                try:
                    decoded = base64.b64decode(given[6:]).decode("utf-8")
                except (ValueError, UnicodeDecodeError):
                    decoded = ""
            if not hmac.compare_digest(decoded.encode(), expected.encode()):
                self.reply(401, b"Unauthorized\n", headers={"WWW-Authenticate": 'Basic realm="Restricted"'})
                return
        if urllib.parse.urlsplit(self.path).path != block.get("path", "/metrics"):
            self.reply(404, b"404 page not found\n")
            return
        body = exposition(gather(self.server.config), block)
        self.reply(200, body, "text/plain; version=0.0.4; charset=utf-8")

    do_HEAD = do_GET


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, block, config):
        host, port = listen_address(block.get("listen", ":9273"))
        self.address_family = socket.AF_INET6 if (host == "" or ":" in host) and socket.has_ipv6 else socket.AF_INET
        self.block, self.config = block, config
        self.tls = tls_context(block) if block.get("tls_cert") else None
        try:
            super().__init__((host or ("::" if self.address_family == socket.AF_INET6 else "0.0.0.0"), port), Handler)
        except OSError:
            if host or self.address_family != socket.AF_INET6:
                raise
            self.address_family = socket.AF_INET  # no IPv6 on this host
            super().__init__(("0.0.0.0", port), Handler)

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        # socketserver's bind only; HTTPServer's would resolve the host name (slow without DNS).
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(10)
        try:
            first = request.recv(1, socket.MSG_PEEK)
        except OSError:
            return
        if first and first[0] != 0x16:  # not a TLS handshake: like Go, answer plain HTTP with a 400
            try:
                request.sendall(b"HTTP/1.0 400 Bad Request\r\nConnection: close\r\n\r\n"
                                b"Client sent an HTTP request to an HTTPS server.\n")
                request.shutdown(socket.SHUT_WR)
                request.settimeout(1)
                while request.recv(4096):  # read the rest of the request: no reset before the reply
                    pass
            except OSError:
                pass
            return
        try:
            wrapped = self.tls.wrap_socket(request, server_side=True)
        except OSError:
            return
        super().finish_request(wrapped, client_address)


START = time.time()


def notify(state):
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(state.encode())


def start_outputs(config):
    servers = []
    for section, plugin, block in config["plugins"]:
        if (section, plugin) == ("outputs", "prometheus_client"):
            server = Server(block, config)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            scheme = "https" if server.tls else "http"
            log("I", "[outputs.prometheus_client] Listening on %s://%s%s"
                % (scheme, block.get("listen", ":9273"), block.get("path", "/metrics")))
            servers.append(server)
    return servers


def loaded(config, section):
    return " ".join(sorted({p for s, p, _b in config["plugins"] if s == section}))


def run(files, directories):
    log("I", "Loading config: %s" % " ".join(config_files(files, directories)))
    config = load(files, directories)
    if not any(s == "outputs" for s, _p, _b in config["plugins"]):
        raise ConfigError("no outputs found, probably invalid config file provided")
    log("I", "Starting Telegraf %s (%s)" % (VERSION, STANDIN))
    log("I", "Loaded inputs: %s" % loaded(config, "inputs"))
    log("I", "Loaded outputs: %s" % loaded(config, "outputs"))
    wake = threading.Event()
    pending = []

    def on_signal(signum, _frame):
        pending.append(signum)
        wake.set()

    for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    servers = start_outputs(config)
    notify("READY=1")
    while True:
        wake.wait()
        wake.clear()
        while pending:
            signum = pending.pop(0)
            if signum != signal.SIGHUP:
                log("I", "Stopping Telegraf")
                for server in servers:
                    server.shutdown()
                    server.server_close()
                return 0
            log("I", "Reloading Telegraf config")
            notify("RELOADING=1")
            new = load(files, directories)  # an invalid configuration ends the process, as in Telegraf
            for server in servers:
                server.shutdown()
                server.server_close()
            config = new
            servers = start_outputs(config)
            notify("READY=1")


def parse_args(argv):
    opts = {"config": [], "config-directory": [], "test": False, "command": []}
    index = 0
    while index < len(argv):
        arg = argv[index]
        name, value = (arg.lstrip("-").split("=", 1) + [""])[:2]
        if arg.startswith("-") and name in ("config", "config-directory"):
            if not value:
                index += 1
                if index >= len(argv):
                    raise SystemExit("flag needs an argument: --%s" % name)
                value = argv[index]
            opts[name].append(value)
        elif arg.startswith("-") and name in ("test", "once"):
            opts["test"] = True
        elif arg.startswith("-") and name == "version":
            opts["command"] = ["version"]
        elif arg.startswith("-") and name in ("debug", "quiet", "unprotected"):
            pass
        elif arg.startswith("-") and name in ("test-wait", "pidfile", "pprof-addr", "watch-config"):
            index += 0 if value else 1
        elif arg.startswith("-"):
            raise SystemExit("flag provided but not defined: %s" % arg)
        else:
            opts["command"].append(arg)
        index += 1
    return opts


def main(argv):
    opts = parse_args(argv)
    command = opts["command"]
    if command[:1] == ["version"]:
        print("Telegraf %s (%s)" % (VERSION, STANDIN))
        return 0
    files = opts["config"]
    if not files and not opts["config-directory"] and os.path.exists("/etc/telegraf/telegraf.conf"):
        files = ["/etc/telegraf/telegraf.conf"]
    try:
        if command[:2] == ["config", "check"]:
            load(files, opts["config-directory"])
            return 0
        if command:
            raise SystemExit("the stand-in does not implement 'telegraf %s'" % " ".join(command))
        if opts["test"]:
            config = load(files, opts["config-directory"])
            print(line_protocol(gather(config)))
            return 0
        return run(files, opts["config-directory"])
    except ConfigError as exc:
        log("E", str(exc))
        return 1
    except OSError as exc:
        log("E", "[telegraf] Error running agent: %s" % exc)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
