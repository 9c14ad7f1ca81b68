# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.apt_policy import apt_policy, upstream_version

# apt-cache policy nginx python3-apt prometheus on Debian 12 (one package apt does not know prints nothing).
POLICY = """nginx:
  Installed: (none)
  Candidate: 1.22.1-9+deb12u12
  Version table:
     1.22.1-9+deb12u12 500
        500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
python3-apt:
  Installed: 2.6.0
  Candidate: 2.6.0
  Version table:
 *** 2.6.0 500
        100 /var/lib/dpkg/status
prometheus:
  Installed: 2.42.0+ds-5+b5
  Candidate: 2.42.0+ds-5+b5
  Version table:
"""


def test_each_package_with_its_versions():
    assert apt_policy(POLICY) == {
        "nginx": {"installed": "", "candidate": "1.22.1-9+deb12u12"},
        "python3-apt": {"installed": "2.6.0", "candidate": "2.6.0"},
        "prometheus": {"installed": "2.42.0+ds-5+b5", "candidate": "2.42.0+ds-5+b5"}}


def test_unknown_to_apt_and_nothing_read():
    assert apt_policy("") == {}
    assert apt_policy(None) == {}
    # A package without a candidate (no source offers it, only the installed copy).
    assert apt_policy("old:\n  Installed: 1.0-1\n  Candidate: (none)\n") == {"old": {"installed": "1.0-1", "candidate": ""}}


def test_architecture_qualified_names():
    text = "libc6:amd64:\n  Installed: 2.36-9\n  Candidate: 2.36-9\nlibc6:i386:\n  Installed: (none)\n  Candidate: 2.36-9\n"
    assert apt_policy(text) == {"libc6": {"installed": "2.36-9", "candidate": "2.36-9"}}


def test_not_text_is_refused():
    with pytest.raises(AnsibleFilterError, match="apt_policy: expects the output of apt-cache policy as text"):
        apt_policy(["nginx:"])


@pytest.mark.parametrize("version, upstream", [
    ("2.42.0+ds-5+b5", "2.42.0"), ("1:2.42.0+ds-5+deb12u1", "2.42.0"), ("22.23.3-1nodesource1", "22.23.3"),
    ("3.0.11-1~deb12u2", "3.0.11"), ("1.22.1", "1.22.1"), ("", ""), (None, "")])
def test_upstream_version(version, upstream):
    assert upstream_version(version) == upstream
