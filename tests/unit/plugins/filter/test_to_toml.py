import datetime
import math
import tomllib

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.to_toml import to_toml


def roundtrip(doc, **kwargs):
    text = to_toml(doc, **kwargs)
    return text, tomllib.loads(text)


def test_repeated_plugins_become_arrays_of_tables():
    doc = {"inputs": {"prometheus": [{"urls": ["http://a:1/metrics"]}, {"urls": ["http://b:2/metrics"], "metric_version": 2}]}}
    text, back = roundtrip(doc)
    assert back == doc
    assert text.count("[[inputs.prometheus]]") == 2
    # `inputs` only holds sub-tables: TOML defines it implicitly, no [inputs] header.
    assert "[inputs]" not in text


def test_plugin_without_options_still_exists():
    doc = {"inputs": {"mem": [{}], "system": [{}]}}
    text, back = roundtrip(doc)
    assert back == doc
    assert "[[inputs.mem]]" in text.splitlines()


def test_nested_table_inside_an_array_element_belongs_to_that_element():
    doc = {"outputs": {"prometheus_client": [
        {"listen": ":9273", "metric_types": {"counter": ["a_total"], "gauge": []}},
        {"listen": ":9274", "metric_types": {"counter": [], "gauge": ["b"]}},
    ]}}
    text, back = roundtrip(doc)
    assert back == doc
    assert text.count("[outputs.prometheus_client.metric_types]") == 2


def test_plain_keys_come_before_sub_tables():
    # "tags" first in the mapping, but TOML needs "urls" before the [..tags] header.
    doc = {"inputs": {"prometheus": [{"tags": {"app": "one"}, "urls": ["http://x/metrics"]}]}}
    text, back = roundtrip(doc)
    assert back == doc
    lines = text.splitlines()
    assert lines.index('  urls = ["http://x/metrics"]') < lines.index("  [inputs.prometheus.tags]")


def test_arrays_of_tables_nested_in_arrays_of_tables():
    doc = {"inputs": {"http": [{"urls": ["u"], "json_v2": [
        {"measurement_name": "one", "field": [{"path": "a"}, {"path": "b", "type": "int"}]},
        {"measurement_name": "two", "tag": [{"path": "c"}]},
    ]}]}}
    assert roundtrip(doc)[1] == doc


def test_strings_with_escapes():
    doc = {"s": {
        "quote": 'say "hi"', "backslash": "C:\\Program Files\\x", "newline": "a\nb", "tab": "a\tb",
        "control": "bell\x07del\x7f", "unicode": "grüße ✓", "dollar": "${NOT_A_TEMPLATE}", "empty": "",
        "hash": "# not a comment", "single": "it's",
    }}
    text, back = roundtrip(doc)
    assert back == doc
    assert "\\u0007" in text and "\\u007F" in text


def test_scalar_types():
    doc = {"t": {"yes": True, "no": False, "int": 42, "negative": -7, "big": 2 ** 63 - 1,
                 "float": 0.25, "tiny": 1e-05, "huge": 1e300, "whole": 3.0, "duration": "10s"}}
    text, back = roundtrip(doc)
    assert back == doc
    assert isinstance(back["t"]["whole"], float)
    assert 'duration = "10s"' in text


def test_special_floats():
    text, back = roundtrip({"f": {"inf": float("inf"), "ninf": float("-inf"), "nan": float("nan")}})
    assert back["f"]["inf"] == math.inf and back["f"]["ninf"] == -math.inf and math.isnan(back["f"]["nan"])


def test_dates_and_times():
    doc = {"d": {"day": datetime.date(2026, 8, 10), "local": datetime.datetime(2026, 8, 10, 12, 30, 5),
                 "aware": datetime.datetime(2026, 8, 10, 12, 30, 5, tzinfo=datetime.timezone.utc),
                 "time": datetime.time(7, 45)}}
    assert roundtrip(doc)[1] == doc


def test_arrays_inline_nested_and_heterogeneous():
    doc = {"a": {"empty": [], "strings": ["x", "y"], "nested": [[1, 2], ["a"]], "tables_in_arrays": [[{"k": "v"}]],
                 "mixed": [1, "two", {"three": 3}]}}
    assert roundtrip(doc)[1] == doc


def test_keys_that_need_quotes():
    doc = {"global_tags": {"host.name": "h", "with space": "s", "ü": "u", "": "empty", "ok_key-1": "bare"}}
    text, back = roundtrip(doc)
    assert back == doc
    assert '"host.name" = "h"' in text and "ok_key-1 = " in text


def test_quoted_names_in_headers():
    doc = {"outputs": {"prometheus_client": [{"metric_types": {"my.table": {"k": 1}}}]}}
    text, back = roundtrip(doc)
    assert back == doc
    assert '[outputs.prometheus_client.metric_types."my.table"]' in text


def test_empty_table_gets_a_header():
    text, back = roundtrip({"global_tags": {}, "agent": {"interval": "10s"}})
    assert back == {"global_tags": {}, "agent": {"interval": "10s"}}
    assert text.startswith("[global_tags]\n")


def test_none_drops_the_key():
    text, back = roundtrip({"agent": {"interval": "10s", "logfile": None}, "gone": None})
    assert back == {"agent": {"interval": "10s"}}
    assert "logfile" not in text


def test_document_order_is_kept_and_sort_keys_sorts():
    doc = {"agent": {"b": 1, "a": 2}, "inputs": {"mem": [{}], "cpu": [{}]}}
    text = to_toml(doc)
    assert text.index("b = 1") < text.index("a = 2") and text.index("inputs.mem") < text.index("inputs.cpu")
    text = to_toml(doc, sort_keys=True)
    assert text.index("a = 2") < text.index("b = 1") and text.index("inputs.cpu") < text.index("inputs.mem")


def test_indentation_follows_visible_nesting():
    text = to_toml({"inputs": {"prometheus": [{"urls": ["u"], "tags": {"app": "x"}}]}})
    assert text == '[[inputs.prometheus]]\n  urls = ["u"]\n\n  [inputs.prometheus.tags]\n    app = "x"\n'
    flat = to_toml({"inputs": {"prometheus": [{"urls": ["u"], "tags": {"app": "x"}}]}}, indent=0)
    assert flat == '[[inputs.prometheus]]\nurls = ["u"]\n\n[inputs.prometheus.tags]\napp = "x"\n'


def test_top_level_scalars():
    doc = {"title": "t", "table": {"k": "v"}}
    text, back = roundtrip(doc)
    assert back == doc and text.startswith('title = "t"\n')


def test_empty_document():
    assert to_toml({}) == ""


@pytest.mark.parametrize("doc, where", [
    ({"inputs": {"cpu": [{"percpu": [1, None]}]}}, r"inputs\.cpu\[0\]\.percpu\[1\]: TOML has no null"),
    ({"agent": {"when": {1, 2}}}, r"agent\.when: cannot represent a value of type set"),
    ({"agent": {"big": 2 ** 64}}, r"agent\.big: integer \d+ does not fit"),
    ({"agent": {"raw": b"bytes"}}, r"agent\.raw: cannot represent a value of type bytes"),
    ({"agent": {("a", "b"): 1}}, r"agent: keys must be strings, not tuple"),
])
def test_bad_values_name_their_path(doc, where):
    with pytest.raises(AnsibleFilterError, match="to_toml: " + where):
        to_toml(doc)


@pytest.mark.parametrize("doc", [["a"], "text", None, 3])
def test_document_must_be_a_mapping(doc):
    with pytest.raises(AnsibleFilterError, match="the document must be a mapping"):
        to_toml(doc)


@pytest.mark.parametrize("indent", [-1, "2", True])
def test_bad_indent(indent):
    with pytest.raises(AnsibleFilterError, match="indent must be a non-negative integer"):
        to_toml({"a": {"b": 1}}, indent=indent)
