"""The Alloy-syntax checker used by the role tests and the Alloy stand-in rejects what Alloy rejects."""

import pytest

import alloy_syntax

GOOD = '''
// a comment
/* and a
   block comment */
logging {
  level = "info"
}

prometheus.exporter.unix "host" {
  disable_collectors = ["ipvs"]
}

discovery.relabel "host" {
  targets = prometheus.exporter.unix.host.targets
  rule {
    target_label = "instance"
    replacement  = constants.hostname
  }
}

prometheus.scrape "host" {
  targets    = discovery.relabel.host.output
  forward_to = [prometheus.remote_write.main.receiver]
  scrape_interval = "1" + "5s"
}

prometheus.remote_write "main" {
  endpoint {
    url     = sys.env("PROM_URL")
    headers = {
      "X-Scope-OrgID" = `tenant\\raw`,
      retry           = 3 * (2 + 1) >= 9 && !false,
    }
  }
}
'''


def test_good_file_loads():
    tree = alloy_syntax.parse(GOOD)
    assert alloy_syntax.check(tree) == []
    endpoint = alloy_syntax.components(tree)["prometheus.remote_write.main"].blocks("endpoint")[0]
    headers = endpoint.attributes()["headers"]
    assert headers[0] == "object" and headers[1][0][0] == "X-Scope-OrgID"
    assert alloy_syntax.literal(headers[1][0][1]) == "tenant\\raw"


@pytest.mark.parametrize("text, message", [
    ('a "x" {\n  l = [\n    1,\n    2\n  ]\n}\n', "missing ','"),
    ('a "x" {\n  s = "open\n}\n', "not terminated"),
    ('a "x" {\n  s = "bad \\q"\n}\n', "escape"),
    ('a "x" {\n  v = \n}\n', "expected expression"),
    ('a "x" {\n', "expected '}'"),
    ('a "1x" {\n}\n', "valid identifier"),
    ('a.b = 1\n', "single identifier"),
    ('a "x" { b = 1 c = 2 }\n', "expected newline"),
    ('a "x" {\n  b = 1 @\n}\n', "illegal character"),
])
def test_syntax_errors_are_located(text, message):
    with pytest.raises(alloy_syntax.AlloySyntaxError) as err:
        alloy_syntax.parse(text)
    assert message in str(err.value)
    assert str(err.value).split(":", maxsplit=1)[0].isdigit()


@pytest.mark.parametrize("text, message", [
    ('foo.bar "x" {\n}\n', "unrecognized component name 'foo.bar'"),
    ('loki.write "x" {\n}\nloki.write "x" {\n}\n', "already declared"),
    ('loki.write {\n}\n', "must have a label"),
    ('prometheus.scrape "x" {\n  targets = []\n  forward_to = [prometheus.remote_write.y.receiver]\n}\n',
     "'prometheus.remote_write.y.receiver' does not exist"),
    ('prometheus.remote_write "y" {\n}\nprometheus.scrape "x" {\n  targets = []\n  forward_to = [prometheus.remote_write.y.reciever]\n}\n',
     "does not export 'reciever'"),
    ('prometheus.scrape "x" {\n  targets = []\n}\n', "missing required attribute 'forward_to'"),
    ('otelcol.exporter.otlp "x" {\n}\n', "missing required block 'client'"),
    ('logging "x" {\n}\n', "does not support labels"),
    ('level = "info"\n', "at top level"),
])
def test_loader_errors(text, message):
    problems = alloy_syntax.validate(text)
    assert any(message in p for p in problems), problems


def test_declared_and_imported_components_are_known():
    text = ('declare "app" {\n  argument "x" {\n  }\n}\napp "one" {\n}\n'
            'import.file "mods" {\n  filename = "/etc/alloy/mods"\n}\nmods.thing "two" {\n}\n')
    assert alloy_syntax.validate(text) == []
