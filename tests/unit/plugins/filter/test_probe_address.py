import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.probe_address import probe_address


@pytest.mark.parametrize(
    "listen, probe",
    [(":9093", "127.0.0.1:9093"), ("0.0.0.0:9090", "127.0.0.1:9090"), ("[::]:3100", "127.0.0.1:3100"),
     ("10.0.0.5:9090", "10.0.0.5:9090"), ("[::1]:9090", "[::1]:9090"), ("localhost:9100", "localhost:9100"),
     (" :9093 ", "127.0.0.1:9093")],
)
def test_probe_addresses(listen, probe):
    assert probe_address(listen) == probe


@pytest.mark.parametrize("listen", ["9093", "", None, "host:", "host:99999", "a:b:9090", "0.0.0.0:0"])
def test_not_a_listen_address_names_the_value(listen):
    with pytest.raises(AnsibleFilterError, match="probe_address: .* is not a listen address"):
        probe_address(listen)
