import pytest

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.reported_version import reported_version


@pytest.mark.parametrize("output, expected", [
    ("prometheus, version 3.5.0 (branch: HEAD, revision: 8be3a9560fbdd18a94dedec4b747c35178177202)\n"
     "  build user:       root@4451b64cb451\n  go version:       go1.24.5", "3.5.0"),
    ("alertmanager, version 0.28.1 (branch: HEAD, revision: b2099eaa2c9ebc25edb26517cb9c732738e93910)", "0.28.1"),
    # Debian's build: the +ds suffix and the Debian revision are not the release.
    ("prometheus, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5+b5)", "2.42.0"),
    ("node_exporter, version v1.9.1 (branch: HEAD)", "1.9.1"),
])
def test_reads_the_release(output, expected):
    assert reported_version(output, "9.9.9") == expected


@pytest.mark.parametrize("output", ["", None, "command not found", "go version go1.24.5 linux/amd64 (no release)",
                                    "prometheus, version 3.5 (branch: HEAD)"])
def test_default_when_no_release_is_named(output):
    assert reported_version(output, "3.7.2") == "3.7.2"
    assert reported_version(output) == ""


def test_first_version_wins():
    # The go toolchain's version further down is not read.
    assert reported_version("alertmanager, version 0.27.0 (...)\n  go version: go1.22.3") == "0.27.0"
