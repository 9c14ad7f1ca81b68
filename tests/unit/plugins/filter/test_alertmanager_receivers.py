# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alertmanager_receivers: the Mattermost and webhook helpers of the alertmanager role."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.alertmanager_receivers import alertmanager_receivers

PREFIX = "/etc/alertmanager/secrets/receiver-"
DEFAULTS = {"username": "Alertmanager", "send_resolved": True, "title": '{{ template "t" . }}'}
KEYS = ["channel", "username", "icon_url", "title", "text", "send_resolved"]
MATTERMOST = [{"name": "ops team", "webhook_url": "https://mm/hooks/s1", "channel": "alerts", "username": "am", "unknown": "x"}]
WEBHOOKS = [{"name": "hook", "webhook_url": "https://h/s2", "max_alerts": 5},
            {"name": "h2", "webhook_url": "https://h/s3", "send_resolved": False}]


def test_urls_in_files_where_the_version_reads_them():
    out = alertmanager_receivers(MATTERMOST, WEBHOOKS, PREFIX, mattermost_defaults=DEFAULTS, mattermost_keys=KEYS)
    assert out["receivers"] == [
        {"name": "ops team", "slack_configs": [{"username": "am", "send_resolved": True, "title": '{{ template "t" . }}',
                                                "channel": "alerts", "api_url_file": PREFIX + "ops_team.webhook_url"}]},
        {"name": "hook", "webhook_configs": [{"send_resolved": True, "max_alerts": 5, "url_file": PREFIX + "hook.webhook_url"}]},
        {"name": "h2", "webhook_configs": [{"send_resolved": False, "url_file": PREFIX + "h2.webhook_url"}]},
    ]
    assert out["files"] == {PREFIX + "ops_team.webhook_url": "https://mm/hooks/s1", PREFIX + "hook.webhook_url": "https://h/s2",
                            PREFIX + "h2.webhook_url": "https://h/s3"}
    assert MATTERMOST[0]["username"] == "am" and "api_url_file" not in MATTERMOST[0], "the input must not be modified"


def test_urls_inline_for_versions_without_the_file_fields():
    out = alertmanager_receivers(MATTERMOST, WEBHOOKS, PREFIX, slack_url_file=False, webhook_url_file="false",
                                 mattermost_defaults=DEFAULTS, mattermost_keys=KEYS)
    assert out["receivers"][0]["slack_configs"][0]["api_url"] == "https://mm/hooks/s1"
    assert out["receivers"][1]["webhook_configs"][0] == {"send_resolved": True, "max_alerts": 5, "url": "https://h/s2"}
    assert out["files"] == {}


def test_no_helpers_no_receivers():
    assert alertmanager_receivers([], None, PREFIX) == {"receivers": [], "files": {}}


@pytest.mark.parametrize("args, message", [
    (({"name": "x"}, [], PREFIX), r"alertmanager_receivers: the Mattermost receivers must be a list, not a dict"),
    (([], ["x"], PREFIX), r"alertmanager_receivers: every item of the webhook receivers must be a mapping, not 'x'"),
    (([{"webhook_url": "u"}], [], PREFIX), r"alertmanager_receivers: every item of the Mattermost receivers needs a name"),
    (([{"name": "ops", "webhook_url": ""}], [], PREFIX), r"alertmanager_receivers: receiver ops needs a non-empty webhook_url"),
    (([], [{"name": "hook"}], PREFIX), r"alertmanager_receivers: receiver hook needs a non-empty webhook_url"),
    (([], [], ""), r"alertmanager_receivers: the secret file prefix is empty"),
])
def test_bad_input_is_named_without_the_secret(args, message):
    with pytest.raises(AnsibleFilterError, match=message) as caught:
        alertmanager_receivers(*args)
    assert "https://" not in str(caught.value)


def test_defaults_must_be_a_mapping():
    with pytest.raises(AnsibleFilterError, match=r"alertmanager_receivers: mattermost_defaults must be a mapping, not a list"):
        alertmanager_receivers([], [], PREFIX, mattermost_defaults=["x"])
