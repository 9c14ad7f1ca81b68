import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.http_secret_files import http_secret_files

DIR = "/etc/prometheus/secrets"


def test_basic_auth_password_moves_to_a_file():
    jobs = [{"job_name": "node", "basic_auth": {"username": "prom", "password": "s3cret"}, "static_configs": []}]
    out = http_secret_files(jobs, DIR, "scrape-", "job_name", "scrape job")
    assert out["configs"] == [{"job_name": "node", "basic_auth": {"username": "prom", "password_file": DIR + "/scrape-node.password"},
                               "static_configs": []}]
    assert out["files"] == {DIR + "/scrape-node.password": "s3cret"}
    assert jobs[0]["basic_auth"]["password"] == "s3cret", "the input must not be modified"


def test_bearer_token_becomes_authorization_with_a_credentials_file():
    out = http_secret_files([{"name": "mimir", "url": "https://m/api/v1/push", "bearer_token": "tok"}], DIR, "remote-write-")
    assert out["configs"][0]["authorization"] == {"type": "Bearer", "credentials_file": DIR + "/remote-write-mimir.credentials"}
    assert "bearer_token" not in out["configs"][0]
    assert out["files"] == {DIR + "/remote-write-mimir.credentials": "tok"}


def test_oauth2_tls_key_and_certificates_move_too():
    item = {"name": "x", "oauth2": {"client_id": "id", "client_secret": "cs"},
            "tls_config": {"ca": "CA PEM", "cert": "CERT PEM", "key": "KEY PEM", "server_name": "x.example"}}
    out = http_secret_files([item], DIR, "p-")
    tls = out["configs"][0]["tls_config"]
    assert tls == {"ca_file": DIR + "/p-x.ca.crt", "cert_file": DIR + "/p-x.tls.crt", "key_file": DIR + "/p-x.tls.key",
                   "server_name": "x.example"}
    assert out["configs"][0]["oauth2"] == {"client_id": "id", "client_secret_file": DIR + "/p-x.client_secret"}
    assert out["files"][DIR + "/p-x.tls.key"] == "KEY PEM"
    assert out["files"][DIR + "/p-x.ca.crt"] == "CA PEM"


def test_items_without_secrets_pass_unchanged():
    items = [{"job_name": "a", "static_configs": [{"targets": ["h:1"]}]}, {"job_name": "b", "basic_auth": {"username": "u", "password_file": "/f"}}]
    out = http_secret_files(items, DIR, "scrape-", "job_name")
    assert out == {"configs": items, "files": {}}


def test_names_are_made_safe_for_file_names_and_position_names_unnamed_items():
    out = http_secret_files([{"url": "u", "basic_auth": {"username": "a", "password": "p"}},
                             {"name": "team a/b", "basic_auth": {"username": "a", "password": "q"}}], DIR, "rw-")
    assert sorted(out["files"]) == [DIR + "/rw-1.password", DIR + "/rw-team_a_b.password"]


@pytest.mark.parametrize("item, message", [
    ({"name": "peer", "basic_auth": {"username": "a", "password": ""}}, r"remote_write 'peer': basic_auth.password is empty"),
    ({"name": "peer", "basic_auth": {"username": "a", "password": None}}, r"basic_auth.password is empty"),
    ({"name": "peer", "bearer_token": ""}, r"remote_write 'peer': bearer_token is empty"),
    ({"name": "peer", "basic_auth": {"password": "x", "password_file": "/f"}}, r"either basic_auth.password or basic_auth.password_file"),
    ({"name": "peer", "bearer_token": "t", "authorization": {"credentials_file": "/f"}}, r"either bearer_token or authorization"),
])
def test_bad_credentials_name_the_item(item, message):
    with pytest.raises(AnsibleFilterError, match=message):
        http_secret_files([item], DIR, "remote-write-", "name", "remote_write")


def test_two_items_with_the_same_name_are_refused():
    with pytest.raises(AnsibleFilterError, match="another scrape job has the same name"):
        http_secret_files([{"job_name": "n"}, {"job_name": "n"}], DIR, "scrape-", "job_name", "scrape job")


def test_wrong_input_types():
    assert http_secret_files(None, DIR, "x-") == {"configs": [], "files": {}}
    with pytest.raises(AnsibleFilterError, match="expects a list"):
        http_secret_files({"job_name": "n"}, DIR, "x-")
    with pytest.raises(AnsibleFilterError, match="#2 is not a mapping"):
        http_secret_files([{}, "text"], DIR, "x-")
