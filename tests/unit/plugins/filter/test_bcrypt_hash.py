import bcrypt
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.filter.bcrypt_hash import bcrypt_hash


def test_hash_verifies_and_is_stable():
    first = bcrypt_hash("s3cret", "host-a/prometheus")
    assert first.startswith("$2b$10$")
    assert bcrypt.checkpw(b"s3cret", first.encode())
    assert bcrypt_hash("s3cret", "host-a/prometheus") == first


def test_seed_and_password_change_the_hash():
    base = bcrypt_hash("s3cret", "host-a/prometheus")
    assert bcrypt_hash("s3cret", "host-b/prometheus") != base
    assert bcrypt_hash("other", "host-a/prometheus") != base


def test_rounds():
    assert bcrypt_hash("s3cret", "seed", rounds=4).startswith("$2b$04$")
    with pytest.raises(AnsibleFilterError, match="rounds"):
        bcrypt_hash("s3cret", "seed", rounds=3)


@pytest.mark.parametrize("bad", ["", None])
def test_empty_password_refused(bad):
    with pytest.raises(AnsibleFilterError, match="empty password"):
        bcrypt_hash(bad, "seed")


def test_long_password_refused():
    with pytest.raises(AnsibleFilterError, match="72 bytes"):
        bcrypt_hash("x" * 73, "seed")
