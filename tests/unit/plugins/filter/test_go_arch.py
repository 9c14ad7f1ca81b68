import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.go_arch import go_arch


@pytest.mark.parametrize(
    "machine, expected",
    [("x86_64", "amd64"), ("aarch64", "arm64"), ("armv7l", "armv7"), ("armv6l", "armv6"),
     ("i686", "386"), ("ppc64le", "ppc64le"), ("s390x", "s390x"), ("riscv64", "riscv64"), ("AMD64", "amd64")],
)
def test_go_names(machine, expected):
    assert go_arch(machine) == expected


@pytest.mark.parametrize(
    "machine, style, expected",
    [("armv7l", "debian", "armhf"), ("i386", "debian", "i386"), ("x86_64", "debian", "amd64"),
     ("x86_64", "node", "x64"), ("armv7l", "node", "armv7l"), ("aarch64", "node", "arm64")],
)
def test_styles(machine, style, expected):
    assert go_arch(machine, style) == expected


def test_unknown_architecture_is_named():
    with pytest.raises(AnsibleFilterError, match=r"unsupported architecture 'sparc64'"):
        go_arch("sparc64")


def test_missing_architecture_fails():
    with pytest.raises(AnsibleFilterError, match="unsupported architecture"):
        go_arch(None)


def test_unknown_style_fails():
    with pytest.raises(AnsibleFilterError, match="unknown style 'bsd'"):
        go_arch("x86_64", "bsd")
