import bcrypt
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.bcrypt_hash import bcrypt_hash, stable_salt


def _salt(hashed):
    """The 22 salt characters of a $2b$ hash (in clear after the cost)."""
    return hashed[7:29]


def test_hash_verifies_and_is_stable():
    first = bcrypt_hash("s3cret", "host-a/prometheus")
    assert first.startswith("$2b$10$")
    assert bcrypt.checkpw(b"s3cret", first.encode())
    assert bcrypt_hash("s3cret", "host-a/prometheus") == first


def test_seed_and_password_change_the_hash():
    base = bcrypt_hash("s3cret", "host-a/prometheus")
    assert bcrypt_hash("s3cret", "host-b/prometheus") != base
    assert bcrypt_hash("other", "host-a/prometheus") != base


def test_the_salt_comes_from_the_seed_only():
    seed = "host-a/prometheus:/etc/prometheus/web.yml"
    one, two = bcrypt_hash("s3cret", seed, rounds=4), bcrypt_hash("an-entirely-different-one", seed, rounds=4)
    # two passwords with the same seed share the salt: the salt does not change with the password
    assert _salt(one) == _salt(two) == stable_salt(seed).decode("ascii")
    assert one != two
    # and a different seed gives a different salt
    assert _salt(bcrypt_hash("s3cret", "host-b/prometheus:/etc/prometheus/web.yml", rounds=4)) != _salt(one)


def test_the_salt_is_stable_between_releases():
    # a change here re-hashes every deployed web.yml once: make it on purpose only
    assert stable_salt("host-a/admin") == stable_salt("host-a/admin")
    assert len(stable_salt("host-a/admin")) == 22
    assert bcrypt_hash("s3cret", "seed", rounds=4) == bcrypt.hashpw(b"s3cret", b"$2b$04$" + stable_salt("seed")).decode()


def test_rounds():
    assert bcrypt_hash("s3cret", "seed", rounds=4).startswith("$2b$04$")
    with pytest.raises(AnsibleFilterError, match="rounds"):
        bcrypt_hash("s3cret", "seed", rounds=3)


@pytest.mark.parametrize("bad", ["", None])
def test_empty_password_refused(bad):
    with pytest.raises(AnsibleFilterError, match="empty password"):
        bcrypt_hash(bad, "seed")


@pytest.mark.parametrize("bad", ["", None])
def test_empty_seed_refused(bad):
    with pytest.raises(AnsibleFilterError, match="^bcrypt_hash: the seed .* must not be empty"):
        bcrypt_hash("s3cret", bad)


def test_long_password_refused():
    with pytest.raises(AnsibleFilterError, match="72 bytes"):
        bcrypt_hash("x" * 73, "seed")
