# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""password_problem: the collection's rule for passwords it sets."""

from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._passwords import password_problem


@pytest.mark.parametrize("value, fragment", [
    ("", "is empty"),
    (None, "is empty"),
    ("change-me", "placeholder 'change-me'"),
    ("CHANGE_ME", "placeholder"),
    ("change-me-please-1", "placeholder"),
    ("Passw0rd", "placeholder"),
    ("short-1", "too short: 7 characters"),
    ("onlylettershere", "letters and at least one digit"),
    ("123456789012345", "letters and at least one digit"),
])
def test_refused(value, fragment):
    assert fragment in password_problem(value, "the_var")


@pytest.mark.parametrize("value", ["vigil-lab-kuma-2026", "Correct-Horse-Battery", "a1b2c3d4e5f6"])
def test_accepted(value):
    assert password_problem(value) == ""


def test_the_message_never_shows_a_real_password():
    secret = "x1"  # too short: the message names the length, not the value
    assert secret not in password_problem(secret, "uptime_kuma_admin_password").replace("uptime_kuma_admin_password", "")
