# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""web_config: the exporter-toolkit web.yml of Prometheus and node_exporter."""

from __future__ import annotations

import bcrypt
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.bcrypt_hash import bcrypt_hash
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.web_config import web_config

CERT, KEY = "/etc/x/tls/x.crt", "/etc/x/tls/x.key"


def test_nothing_asked_for_gives_an_empty_config():
    assert web_config({}) == {}
    assert web_config(None, "", "", "host-a") == {}


def test_tls_only():
    assert web_config({}, CERT, KEY, "host-a") == {"tls_server_config": {"cert_file": CERT, "key_file": KEY}}


def test_users_get_stable_bcrypt_hashes_salted_with_host_and_user():
    web = web_config({"zed": "pw-z", "Admin": "pw-a"}, CERT, KEY, "host-a")
    assert list(web) == ["tls_server_config", "basic_auth_users"]
    users = web["basic_auth_users"]
    assert list(users) == ["Admin", "zed"]
    # the same hash as the bcrypt_hash filter with the salt the roles always used
    assert users["Admin"] == bcrypt_hash("pw-a", "host-a/Admin")
    assert bcrypt.checkpw(b"pw-z", users["zed"].encode())
    assert web_config({"zed": "pw-z"}, seed="host-a")["basic_auth_users"]["zed"] == users["zed"]
    assert web_config({"zed": "pw-z"}, seed="host-b")["basic_auth_users"]["zed"] != users["zed"]
    assert "pw-z" not in repr(web)


@pytest.mark.parametrize("args, message", [
    (([("a", "b")],), r"web_config: the basic-auth users must be a mapping \{user: password\}, not a list"),
    (({}, CERT, ""), r"web_config: TLS needs both a certificate and a key file"),
    (({}, "", KEY), r"web_config: TLS needs both a certificate and a key file"),
    (({"a": "pw"}, "", "", None), r"web_config: a seed \(the inventory hostname\) is needed"),
    (({"a:b": "pw"}, "", "", "h"), r"web_config: user name 'a:b' must be a non-empty string without ':' or blanks"),
    (({"a b": "pw"}, "", "", "h"), r"user name 'a b'"),
    (({"a": ""}, "", "", "h"), r"web_config: user a has an empty password"),
    (({"a": None}, "", "", "h"), r"web_config: user a has an empty password"),
])
def test_bad_input_is_named(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        web_config(*args)
