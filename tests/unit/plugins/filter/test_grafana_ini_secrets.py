import copy

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.grafana_ini_secrets import grafana_ini_secrets, is_secret_key

DIR = "/etc/grafana/secrets"


def ref(name):
    return "$__file{%s/%s}" % (DIR, name)


@pytest.mark.parametrize("section, key", [
    ("smtp", "password"),
    ("database", "password"),
    ("auth.generic_oauth", "client_secret"),
    ("auth.github", "client_secret"),
    ("auth.azuread", "client_secret"),
    ("external_image_storage.s3", "secret_key"),
    ("external_image_storage.s3", "access_key"),
    ("external_image_storage.azure_blob", "account_key"),
    ("grafana_com", "api_key"),
    ("some.section", "token"),
    ("remote_cache", "connstr"),
    ("unified_alerting", "ha_redis_password"),
    ("analytics", "intercom_secret"),
    ("rendering", "renderer_token"),
    ("database", "url"),
    ("SMTP", "Password"),
])
def test_each_secret_key_moves_to_a_file(section, key):
    out = grafana_ini_secrets({section: {key: "v4lue;#", "other": "x"}}, DIR)
    assert out["ini"] == {section: {key: ref("%s.%s" % (section, key)), "other": "x"}}
    assert out["files"] == {"%s/%s.%s" % (DIR, section, key): "v4lue;#"}


@pytest.mark.parametrize("section, key", [
    ("smtp", "user"),
    ("auth.generic_oauth", "client_id"),
    ("auth.generic_oauth", "token_url"),
    ("auth.generic_oauth", "id_token_attribute_name"),
    ("auth.basic", "password_policy"),
    ("server", "cert_key"),
    ("external_image_storage.gcs", "key_file"),
    ("remote_cache", "url"),
    ("server", "root_url"),
])
def test_other_keys_are_not_secrets(section, key):
    assert not is_secret_key(section, key)
    data = {section: {key: "plain"}}
    assert grafana_ini_secrets(data, DIR) == {"ini": data, "files": {}}


@pytest.mark.parametrize("value", [
    "$__file{/run/secrets/smtp}",
    "$__env{SMTP_PASSWORD}",
    "$__vault{kv:smtp:password}",
    "postgres://grafana:$__file{/run/pw}@db/grafana",
    "",
    None,
    True,
    5432,
])
def test_expansions_empty_and_non_string_values_are_left_alone(value):
    data = {"smtp": {"password": value}, "database": {"url": value}, "auth.generic_oauth": {"use_refresh_token": value}}
    assert grafana_ini_secrets(data, DIR) == {"ini": data, "files": {}}


def test_the_roles_own_references_pass_unchanged():
    security = {"admin_user": "admin", "admin_password": "$__file{/etc/grafana/admin_password}",
                "secret_key": "$__file{/etc/grafana/secret_key}", "disable_gravatar": True}
    assert grafana_ini_secrets({"security": security}, DIR) == {"ini": {"security": security}, "files": {}}


def test_a_whole_ini_and_the_input_is_not_modified():
    data = {"paths": {"data": "/var/lib/grafana"},
            "smtp": {"enabled": True, "host": "mail:25", "password": "s;m#tp"},
            "auth.generic_oauth": {"enabled": True, "client_id": "grafana", "client_secret": "oidc", "use_refresh_token": True},
            "app_mode": "production"}
    before = copy.deepcopy(data)
    out = grafana_ini_secrets(data, DIR + "/")
    assert data == before
    assert out["ini"]["smtp"] == {"enabled": True, "host": "mail:25", "password": ref("smtp.password")}
    assert out["ini"]["auth.generic_oauth"]["client_secret"] == ref("auth.generic_oauth.client_secret")
    assert out["ini"]["auth.generic_oauth"]["use_refresh_token"] is True
    assert out["ini"]["paths"] == data["paths"] and out["ini"]["app_mode"] == "production"
    assert list(out["ini"]) == list(data), "section order is kept"
    assert out["files"] == {DIR + "/smtp.password": "s;m#tp", DIR + "/auth.generic_oauth.client_secret": "oidc"}


def test_top_level_secret_and_unsafe_file_names():
    out = grafana_ini_secrets({"token": "t", "plugin.my app/x": {"api_key": "k"}}, DIR)
    assert out["ini"] == {"token": ref("token"), "plugin.my app/x": {"api_key": ref("plugin.my_app_x.api_key")}}
    assert out["files"] == {DIR + "/token": "t", DIR + "/plugin.my_app_x.api_key": "k"}


def test_two_keys_sharing_a_file_are_refused_without_showing_values():
    with pytest.raises(AnsibleFilterError, match=r"grafana_ini_secrets: \[a b\] password and \[a/b\] password would share") as err:
        grafana_ini_secrets({"a b": {"password": "one1"}, "a/b": {"password": "two2"}}, DIR)
    assert "one1" not in str(err.value) and "two2" not in str(err.value)


def test_empty_input():
    assert grafana_ini_secrets(None, DIR) == {"ini": {}, "files": {}}
    assert grafana_ini_secrets({}, DIR) == {"ini": {}, "files": {}}


@pytest.mark.parametrize("ini, secrets_dir, message", [
    (["smtp"], DIR, "grafana_ini_secrets: the grafana.ini data must be a mapping, not a list"),
    ("text", DIR, "must be a mapping, not a str"),
    ({}, "relative/dir", "secrets_dir must be an absolute path"),
    ({}, "/etc/{x}", "secrets_dir must be an absolute path without braces"),
    ({}, None, "secrets_dir must be an absolute path"),
])
def test_bad_input(ini, secrets_dir, message):
    with pytest.raises(AnsibleFilterError, match=message.replace("(", r"\(")):
        grafana_ini_secrets(ini, secrets_dir)
