"""The stack scenario's security checks can fail: the secret grep finds a secret and names the
task it was printed by, and the hostile neighbour classifies what it finds."""

import http.server
import json
import socket
import subprocess
import sys
import threading

import hostile_neighbour
import secret_grep


def test_the_secret_grep_counts_each_secret_and_names_the_task(tmp_path):
    log = tmp_path / "run.log"
    log.write_text("PLAY [x]\nTASK [role : Write the password file] ***\nok: {'content': 's3cret-1'}\n"
                   "TASK [role : Other] *****\nok\nTASK [role : Leak] ***\ns3cret-1 and s3cret-2 and s3cret-2\n")
    result = secret_grep.scan(str(log), ["s3cret-1", "s3cret-2", "absent"])
    assert result["counts"] == [2, 2, 0]
    assert result["tasks"] == ["TASK [role : Write the password file]", "TASK [role : Leak]"]
    # the command reads the secrets from stdin and never prints them
    out = subprocess.run([sys.executable, secret_grep.__file__, str(log)], input="s3cret-1\n", capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out)["logs"][0]["counts"] == [2] and "s3cret" not in out


def test_proc_net_addresses():
    assert hostile_neighbour._address("0100007F") == "127.0.0.1"
    assert hostile_neighbour._address("00000000") == "0.0.0.0"
    assert hostile_neighbour._address("00000000000000000000000001000000") == "::1"
    assert hostile_neighbour._address("00000000000000000000000000000000") == "::"


class _Auth(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server interface)
        ok = self.headers.get("Authorization") == "Basic dTpw"  # u:p
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_neighbour_tells_refused_401_and_answered_apart():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Auth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    free_port = closed.getsockname()[1]
    closed.close()
    try:
        probe = {"proto": "tcp", "address": "127.0.0.1", "port": server.server_address[1], "scheme": "http",
                 "path": "/", "user": "u", "password": "p"}
        assert hostile_neighbour.outcome(probe, False) == "401"
        assert hostile_neighbour.outcome(probe, True) == "200"
        assert hostile_neighbour.outcome(dict(probe, port=free_port), False) == "refused"
        assert hostile_neighbour.outcome(dict(probe, scheme="tcp"), False) == "open"
    finally:
        server.shutdown()
