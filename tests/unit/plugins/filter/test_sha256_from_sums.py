import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.sha256_from_sums import sha256_from_sums

A = "a" * 64
B = "B" * 64


def test_text_mode_lines():
    sums = "%s  node_exporter-1.9.0.linux-amd64.tar.gz\n%s  node_exporter-1.9.0.linux-arm64.tar.gz\n" % (A, B)
    assert sha256_from_sums(sums, "node_exporter-1.9.0.linux-arm64.tar.gz") == "b" * 64


def test_binary_mode_lines():
    sums = "%s *jaeger-2.20.0-linux-amd64.tar.gz\n" % A
    assert sha256_from_sums(sums, "jaeger-2.20.0-linux-amd64.tar.gz") == A


def test_path_before_name_is_ignored():
    assert sha256_from_sums("%s  ./dist/loki-linux-amd64.zip\n" % A, "loki-linux-amd64.zip") == A


def test_no_prefix_match():
    sums = "%s  xnode_exporter.tar.gz\n" % A
    with pytest.raises(AnsibleFilterError, match="no SHA-256 for 'node_exporter.tar.gz'"):
        sha256_from_sums(sums, "node_exporter.tar.gz")


def test_bare_digest():
    assert sha256_from_sums(A, "otelcol-contrib_0.159.0_linux_amd64.tar.gz", "bare") == A
    assert sha256_from_sums(B.lower() + "\n", "x", "bare") == "b" * 64


def test_bare_rejects_garbage():
    with pytest.raises(AnsibleFilterError, match="bare SHA-256"):
        sha256_from_sums("<html>not found</html>", "x", "bare")


def test_unknown_format():
    with pytest.raises(AnsibleFilterError, match="unknown format"):
        sha256_from_sums(A, "x", "md5")
