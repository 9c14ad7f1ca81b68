# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's only Uptime Kuma transport: a small socket.io client on ``python-socketio``.

Uptime Kuma 2.x has no REST API for its configuration: the web app talks to the server over
socket.io, and so does this client. What it knows of the server (from Uptime Kuma's own
server code and measured against the real 2.5.3):

- on every new connection the server first sends ``info``; it registers its event handlers
  only after that, so nothing is emitted before ``info`` arrived (an early emit can be lost);
- while no user exists it also sends ``setup``; ``setup(username, password)`` creates the
  first admin (weak passwords refused);
- ``login({username, password, token})`` is rate limited server-wide (20 a minute) and answers
  ``{ok, token}`` (a JWT), ``{tokenRequired: true}`` when 2FA is on, or ``{ok: false, msg}``;
  ``loginByToken(jwt)`` is not rate limited, and a JWT dies when the password changes;
- after a login the server pushes the user's lists before it answers the login:
  ``monitorList`` (id -> monitor), ``notificationList``, ``maintenanceList``,
  ``statusPageList``, ``proxyList``, ... and keeps them current with ``updateMonitorIntoList``
  and ``deleteMonitorFromList`` after writes.

The client counts its logins, round trips and writes (``stats``) so modules and benchmarks can
show that a no-op sends no write. It never logs and never puts a secret in an error message.
"""

from __future__ import annotations

import threading
import time
import traceback

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure, ValidationError, VigilError

try:
    import socketio  # python-socketio
    HAS_SOCKETIO = True
    SOCKETIO_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - depends on the host
    socketio = None
    HAS_SOCKETIO = False
    SOCKETIO_IMPORT_ERROR = traceback.format_exc()

# websocket-client lets engine.io use the websocket transport (else: HTTP long polling).
try:
    import websocket  # noqa: F401  pylint: disable=unused-import
    HAS_WEBSOCKET = True
except ImportError:  # pragma: no cover - depends on the host
    HAS_WEBSOCKET = False

MISSING_LIBRARY = (
    "the Python library python-socketio (with its client extras) is needed on the host that runs "
    "the uptime_kuma_* modules: Debian's python3-socketio and python3-websocket, or "
    "'pip install \"python-socketio[client]\"'"
)

# What the server's translatable message keys mean (the web app's English texts).
_MESSAGES = {
    "authIncorrectCreds": "incorrect username or password",
    "authInvalidToken": "invalid or expired login token (2FA code or JWT)",
    "authUserInactiveOrDeleted": "the user is inactive or deleted",
    "passwordTooWeak": "the password is too weak for Uptime Kuma",
    "successAdded": "added",
    "successEdited": "saved",
    "successDeleted": "deleted",
    "Too frequently, try again later.": "too many login attempts: Uptime Kuma allows 20 a minute, try again later",
}

# Events the server pushes after a login: name -> how it is kept (``dict`` keyed by id, or list).
_LIST_EVENTS = ("monitorList", "notificationList", "maintenanceList", "statusPageList", "proxyList",
                "dockerHostList", "remoteBrowserList", "apiKeyList")


class KumaError(VigilError):
    """Uptime Kuma answered a call with ``ok: false`` or did not answer in time."""

    def __init__(self, message, event=None, server_message=None):
        self.event = event
        self.server_message = server_message
        super(KumaError, self).__init__(message)

    def details(self):
        out = {}
        if self.event:
            out["event"] = self.event
        return out


def server_text(answer):
    """The English text of the server's ``msg`` (translated from its message key)."""
    if not isinstance(answer, dict):
        return str(answer)
    msg = answer.get("msg")
    if msg is None:
        return "no reason given"
    return _MESSAGES.get(str(msg), str(msg))


class KumaClient(object):
    """One logged-in socket.io session with an Uptime Kuma 2.x server."""

    def __init__(self, url, timeout=30, validate_certs=True, ca_path=None, transport=None):
        if not HAS_SOCKETIO:
            raise VigilError(MISSING_LIBRARY)
        self.url = str(url).rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise ValidationError("url must start with http:// or https://, got %r" % (url,))
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.transport = transport or ("websocket" if HAS_WEBSOCKET else "polling")
        self.stats = {"logins": 0, "round_trips": 0, "writes": 0}
        self.info = None
        self.need_setup_pushed = False
        self.lists = {}
        self._events = {name: threading.Event() for name in ("info",) + _LIST_EVENTS}
        self._lock = threading.Lock()
        self._sio = None

    # -- connection ------------------------------------------------------------------------

    def _session(self):
        import requests  # a dependency of python-socketio's client extras
        session = requests.Session()
        if not self.validate_certs:
            session.verify = False
        elif self.ca_path:
            session.verify = self.ca_path
        return session

    def connect(self):
        sio = socketio.Client(reconnection=False, logger=False, engineio_logger=False,
                              ssl_verify=bool(self.validate_certs), http_session=self._session())
        self._sio = sio

        def on_info(data):
            self.info = data if isinstance(data, dict) else {}
            self._events["info"].set()

        def on_setup(*_args):
            self.need_setup_pushed = True

        sio.on("info", on_info)
        sio.on("setup", on_setup)
        for name in _LIST_EVENTS:
            sio.on(name, self._list_handler(name))
        sio.on("updateMonitorIntoList", self._update_monitors)
        sio.on("deleteMonitorFromList", self._delete_monitor)

        try:
            sio.connect(self.url, transports=[self.transport], socketio_path="socket.io", wait_timeout=self.timeout)
        except Exception as err:  # socketio.exceptions.ConnectionError and transport errors
            raise ConnectionFailure(self.url, self._reason(err))
        if not self._events["info"].wait(self.timeout):
            self.close()
            raise ConnectionFailure(self.url, "connected, but the server sent no 'info' event within %ss: "
                                              "is this an Uptime Kuma 2.x server?" % self.timeout)
        return self

    def _reason(self, err):
        text = str(err) or err.__class__.__name__
        if text == "Connection error":  # python-socketio hides the cause: look at the port itself
            text = self._probe() or text
        if "Connection refused" in text or "Errno 111" in text or text == "Connection refused":
            return "connection refused"
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return "TLS certificate verification failed (set ca_path, or validate_certs: false)"
        if "Unexpected response from server" in text or "OPEN packet not returned" in text:
            return "no socket.io endpoint answered: is this an Uptime Kuma 2.x server?"
        return text.splitlines()[0][:300]

    def _probe(self):
        """Why a plain TCP connection to the server's port fails ('' when it connects)."""
        import socket
        from urllib.parse import urlsplit
        parts = urlsplit(self.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            socket.create_connection((parts.hostname, port), timeout=min(self.timeout, 5)).close()
            return "no socket.io endpoint answered: is this an Uptime Kuma 2.x server?"
        except OSError as err:
            return getattr(err, "strerror", None) or str(err)

    def close(self):
        if self._sio is not None:
            try:
                self._sio.disconnect()
            except Exception:  # pylint: disable=broad-except
                pass
            self._sio = None

    def __enter__(self):
        return self.connect()

    def __exit__(self, *exc):
        self.close()
        return False

    # -- pushed lists ------------------------------------------------------------------------

    def _list_handler(self, name):
        def handler(data):
            with self._lock:
                self.lists[name] = data
            self._events[name].set()
        return handler

    def _update_monitors(self, data):
        with self._lock:
            current = self.lists.setdefault("monitorList", {})
            if isinstance(data, dict):
                current.update(data)

    def _delete_monitor(self, monitor_id):
        with self._lock:
            self.lists.get("monitorList", {}).pop(str(monitor_id), None)

    def wait_list(self, name):
        """The last pushed copy of list ``name`` (waits for the first one)."""
        if not self._events[name].wait(self.timeout):
            raise KumaError("Uptime Kuma sent no %s within %ss after the login" % (name, self.timeout))
        with self._lock:
            data = self.lists.get(name)
            if isinstance(data, dict):
                return dict(data)
            return list(data or [])

    def forget_list(self, name):
        """Drop list ``name`` so that the next wait_list() waits for a fresh push."""
        with self._lock:
            self.lists.pop(name, None)
        self._events[name].clear()

    # -- calls -------------------------------------------------------------------------------

    def call(self, event, *args, **kwargs):
        """Emit ``event`` with ``args`` and return the server's answer.

        ``write=True`` counts the call as a write. ``check=True`` (default) raises KumaError on
        ``ok: false``, naming ``what`` (default: the event).
        """
        write = kwargs.pop("write", False)
        check = kwargs.pop("check", True)
        what = kwargs.pop("what", None) or event
        timeout = kwargs.pop("timeout", None) or self.timeout
        if self._sio is None:
            raise VigilError("internal error: the Uptime Kuma client is not connected")
        self.stats["round_trips"] += 1
        if write:
            self.stats["writes"] += 1
        try:
            answer = self._sio.call(event, args if len(args) != 1 else args[0], timeout=timeout) \
                if args else self._sio.call(event, timeout=timeout)
        except Exception as err:  # socketio.exceptions.TimeoutError, BadNamespaceError, disconnects
            name = err.__class__.__name__
            if name == "TimeoutError":
                raise KumaError("Uptime Kuma did not answer %s within %ss" % (what, timeout), event=event)
            raise KumaError("%s failed: %s" % (what, self._reason(err)), event=event)
        if check and isinstance(answer, dict) and answer.get("ok") is False:
            raise KumaError("%s: Uptime Kuma says: %s" % (what, server_text(answer)), event=event,
                            server_message=answer.get("msg"))
        return answer

    # -- setup and login ---------------------------------------------------------------------

    def need_setup(self):
        return bool(self.call("needSetup"))

    def setup(self, username, password):
        """Create the first admin; KumaError when refused (weak password, already set up)."""
        return self.call("setup", username, password, write=True, what="creating the first admin")

    def login(self, username=None, password=None, totp=None, token=None):
        """Log in with a JWT (not rate limited) or username/password (+ 2FA code).

        Returns the JWT the server handed out (the one given, for a token login).
        """
        if token:
            self.stats["logins"] += 1
            answer = self.call("loginByToken", token, check=False)
            if isinstance(answer, dict) and answer.get("ok"):
                return token
            if not username:
                raise KumaError("login with the stored token failed: %s" % server_text(answer), event="loginByToken")
        if not username or password is None:
            raise ValidationError("username and password (or a token) are needed to log in to Uptime Kuma")
        payload = {"username": username, "password": password, "token": totp or ""}
        self.stats["logins"] += 1
        answer = self.call("login", payload, check=False)
        if isinstance(answer, dict) and answer.get("tokenRequired"):
            raise KumaError("user %r has two-factor authentication on: give its current code in totp" % username,
                            event="login")
        if not (isinstance(answer, dict) and answer.get("ok")):
            raise KumaError("login as %r failed: %s" % (username, server_text(answer)), event="login",
                            server_message=answer.get("msg") if isinstance(answer, dict) else None)
        return answer.get("token")

    def change_password(self, current_password, new_password):
        return self.call("changePassword", {"currentPassword": current_password, "newPassword": new_password},
                         write=True, what="changing the password")


def wait_ready(url, wait=60, timeout=30, validate_certs=True, ca_path=None):
    """A connected client, retrying a connection that fails for up to ``wait`` seconds (a server
    that is still starting); each attempt waits ``timeout`` seconds for ``info``."""
    deadline = time.time() + max(0, wait)
    while True:
        client = KumaClient(url, timeout=timeout, validate_certs=validate_certs, ca_path=ca_path)
        try:
            return client.connect()
        except ConnectionFailure:
            if time.time() >= deadline:
                raise
        time.sleep(1)
