import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.otelcol_checksums import otelcol_checksums


@pytest.mark.parametrize("version", ["0.158.0", "0.159.0", "v0.160.1", "1.0.0"])
def test_sidecar_from_0_158(version):
    plain = version.lstrip("v")
    assert otelcol_checksums(version) == {"file": "otelcol-contrib_%s_linux_{arch}.tar.gz.sha256" % plain,
                                          "format": "bare"}


@pytest.mark.parametrize("version", ["0.157.0", "0.100.0", "0.99.9"])
def test_combined_file_before_0_158(version):
    assert otelcol_checksums(version) == {
        "file": "opentelemetry-collector-releases_otelcol-contrib_checksums.txt", "format": "sums"}


def test_other_distribution():
    assert otelcol_checksums("0.157.0", "otelcol")["file"] == "opentelemetry-collector-releases_otelcol_checksums.txt"
    assert otelcol_checksums("0.159.0", "otelcol-k8s")["file"] == "otelcol-k8s_0.159.0_linux_{arch}.tar.gz.sha256"


@pytest.mark.parametrize("version", ["latest", "", None, "0.159"])
def test_non_version_is_refused(version):
    with pytest.raises(AnsibleFilterError, match="is not a release version"):
        otelcol_checksums(version)
