import os
import sys

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.to_alloy import to_alloy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "roles", "alloy"))
import alloy_syntax


def test_block_with_label_attributes_expressions_and_nested_blocks():
    text = to_alloy([{
        "name": "loki.write", "label": "default",
        "attributes": {"external_labels": {"env": "prod"}},
        "blocks": [{"name": "endpoint", "attributes": {"url": "http://loki:3100/loki/api/v1/push", "tenant_id": "ops"}}],
    }, {
        "name": "loki.source.journal", "label": "journal",
        "expressions": {"forward_to": "[loki.write.default.receiver]"},
    }])
    assert text == (
        'loki.write "default" {\n'
        '\texternal_labels = {env = "prod"}\n'
        '\n'
        '\tendpoint {\n'
        '\t\turl       = "http://loki:3100/loki/api/v1/push"\n'
        '\t\ttenant_id = "ops"\n'
        '\t}\n'
        '}\n'
        '\n'
        'loki.source.journal "journal" {\n'
        '\tforward_to = [loki.write.default.receiver]\n'
        '}\n')
    assert alloy_syntax.validate(text) == []


def test_literals_round_trip_through_the_parser():
    value = {"s": 'quote " backslash \\ newline \n tab \t unicode é', "n": 3, "f": 1.5, "t": True, "z": None,
             "list": [1, "two", False], "nested": [{"__address__": "h:1", "weird-key": "x", "a": [], "b": {}}]}
    text = to_alloy({"name": "local.file_match", "label": "x", "attributes": value})
    block = alloy_syntax.parse(text)[0]
    assert dict((k, alloy_syntax.literal(v)) for k, v in block.attributes().items()) == value


def test_multi_line_collections_end_with_commas():
    text = to_alloy({"name": "local.file_match", "label": "x",
                     "attributes": {"path_targets": [{"__path__": "/a", "job": "a"}, {"__path__": "/b", "job": "b"}]}})
    assert '\t\t{__path__ = "/a", job = "a"},\n\t\t{__path__ = "/b", job = "b"},\n\t]' in text
    assert alloy_syntax.parse(text)


def test_empty_block_and_empty_list():
    assert to_alloy([]) == ""
    assert to_alloy({"name": "http"}) == "http { }\n"


@pytest.mark.parametrize("block, message", [
    ({"name": "bad name"}, "not a block name"),
    ({"name": "loki.write", "label": "has-dash"}, "label 'has-dash' is not an identifier"),
    ({"name": "loki.write", "label": "x", "attributes": {"bad-attr": 1}}, "attribute name 'bad-attr'"),
    ({"name": "loki.write", "label": "x", "expressions": {"forward_to": " "}}, "empty expression"),
    ({"name": "loki.write", "label": "x", "attributes": {"v": object()}}, "has no Alloy literal"),
    ({"name": "loki.write", "label": "x", "attributes": {"v": float("nan")}}, "has no Alloy literal"),
    ({"name": "loki.write", "labels": "x"}, "unknown block keys labels"),
    ({"label": "x"}, "at least a name"),
])
def test_bad_blocks_are_named(block, message):
    with pytest.raises(AnsibleFilterError, match=message):
        to_alloy([block])


def test_not_a_list():
    with pytest.raises(AnsibleFilterError, match="expects a list"):
        to_alloy("loki.write")
