# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small parser and checker of the Alloy configuration syntax (formerly River).

Written from Alloy's syntax reference (docs/sources/get-started/configuration-syntax): blocks
``name.parts "label" { ... }``, attributes ``name = expression``, ``//`` and ``/* */`` comments,
Go-style automatic statement terminators at line ends (so multi-line lists and objects need
trailing commas), literals, lists, objects, references, calls, unary and binary operators.

``parse(text)`` returns the statement tree or raises ``AlloySyntaxError`` with ``line:col``;
``check(tree)`` returns the problems Alloy's loader reports: unknown component names, duplicate
components, references to components that are not defined (or to exports they do not have) and
missing required arguments of the components this collection renders.

Used by the unit tests and inlined (stdlib only, no package imports) into the Alloy test stand-in.
"""

import re

KEYWORDS = {"true", "false", "null"}


class AlloySyntaxError(Exception):
    """A parse error, formatted like Alloy's diagnostics (``<line>:<col>: <message>``)."""

    def __init__(self, line, col, message):
        Exception.__init__(self, "%d:%d: %s" % (line, col, message))
        self.line, self.col, self.message = line, col, message


class Token(object):
    __slots__ = ("kind", "value", "line", "col", "start", "end")

    def __init__(self, kind, value, line, col, start, end):
        self.kind, self.value, self.line, self.col, self.start, self.end = kind, value, line, col, start, end

    def __repr__(self):
        return "Token(%s, %r, %d:%d)" % (self.kind, self.value, self.line, self.col)


_OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "{", "}", "[", "]", "(", ")", ",", "=", ".", ";",
              "<", ">", "+", "-", "*", "/", "%", "^", "!"]
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}
# After these tokens a line end terminates the statement (Go's rule, which Alloy's scanner follows).
_TERMINATES = {"IDENT", "NUMBER", "STRING", "LITERAL", ")", "]", "}"}


def tokenize(text):
    tokens = []
    i, line, col, n = 0, 1, 1, len(text)

    def add(kind, value, start, end, at_line, at_col):
        tokens.append(Token(kind, value, at_line, at_col, start, end))

    while i < n:
        ch = text[i]
        if ch == "\n":
            if tokens and tokens[-1].kind in _TERMINATES:
                add("TERM", "\n", i, i + 1, line, col)
            i, line, col = i + 1, line + 1, 1
            continue
        if ch in " \t\r":
            i, col = i + 1, col + 1
            continue
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise AlloySyntaxError(line, col, "comment not terminated")
            chunk = text[i:end + 2]
            if "\n" in chunk and tokens and tokens[-1].kind in _TERMINATES:
                add("TERM", "\n", i, end + 2, line, col)
            line += chunk.count("\n")
            col = (len(chunk) - chunk.rfind("\n")) if "\n" in chunk else col + len(chunk)
            i = end + 2
            continue
        start, at_line, at_col = i, line, col
        if ch.isalpha() or ch == "_":
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            word = text[start:i]
            add("LITERAL" if word in KEYWORDS else "IDENT", word, start, i, at_line, at_col)
            col += i - start
            continue
        if ch.isdigit():
            match = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?").match(text, i)
            i = match.end()
            add("NUMBER", match.group(0), start, i, at_line, at_col)
            col += i - start
            continue
        if ch == '"':
            i += 1
            out = []
            while True:
                if i >= n or text[i] == "\n":
                    raise AlloySyntaxError(at_line, at_col, "string literal not terminated")
                c = text[i]
                if c == '"':
                    i += 1
                    break
                if c == "\\":
                    if i + 1 >= n:
                        raise AlloySyntaxError(at_line, at_col, "string literal not terminated")
                    e = text[i + 1]
                    if e in _ESCAPES:
                        out.append(_ESCAPES[e])
                        i += 2
                    elif e in "xuU":
                        width = {"x": 2, "u": 4, "U": 8}[e]
                        digits = text[i + 2:i + 2 + width]
                        if not re.match(r"^[0-9a-fA-F]{%d}$" % width, digits):
                            raise AlloySyntaxError(line, col + (i - start), "illegal escape sequence")
                        out.append(chr(int(digits, 16)))
                        i += 2 + width
                    elif e in "01234567":
                        digits = text[i + 1:i + 4]
                        if not re.match(r"^[0-7]{3}$", digits):
                            raise AlloySyntaxError(line, col + (i - start), "illegal escape sequence")
                        out.append(chr(int(digits, 8)))
                        i += 4
                    else:
                        raise AlloySyntaxError(line, col + (i - start), "unknown escape sequence")
                    continue
                out.append(c)
                i += 1
            add("STRING", "".join(out), start, i, at_line, at_col)
            col += i - start
            continue
        if ch == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise AlloySyntaxError(at_line, at_col, "raw string literal not terminated")
            raw = text[i + 1:end]
            i = end + 1
            add("STRING", raw, start, i, at_line, at_col)
            if "\n" in raw:
                line += raw.count("\n")
                col = len(raw) - raw.rfind("\n") + 1
            else:
                col += i - start
            continue
        for op in _OPERATORS:
            if text.startswith(op, i):
                i += len(op)
                add(op, op, start, i, at_line, at_col)
                col += len(op)
                break
        else:
            raise AlloySyntaxError(line, col, "illegal character %r" % ch)
    if tokens and tokens[-1].kind in _TERMINATES:
        tokens.append(Token("TERM", "\n", line, col, n, n))
    tokens.append(Token("EOF", "", line, col, n, n))
    return tokens


# --- tree ---------------------------------------------------------------------------------

class Block(object):
    def __init__(self, name, label, body, line):
        self.name, self.label, self.body, self.line = name, label, body, line

    @property
    def key(self):
        return self.name + ("." + self.label if self.label is not None else "")

    def attributes(self):
        return dict((s.name, s.value) for s in self.body if isinstance(s, Attribute))

    def blocks(self, name=None):
        return [s for s in self.body if isinstance(s, Block) and (name is None or s.name == name)]


class Attribute(object):
    def __init__(self, name, value, line, source):
        self.name, self.value, self.line, self.source = name, value, line, source


# Expressions are tuples: ("literal", value) ("ref", [names]) ("index", expr, expr)
# ("access", expr, name) ("call", expr, [args]) ("list", [exprs]) ("object", [(key, expr)])
# ("unary", op, expr) ("binary", op, left, right)

_PRECEDENCE = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"], ["^"]]


class Parser(object):
    def __init__(self, text):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self, offset=0):
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def next(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind, what=None):
        tok = self.peek()
        if tok.kind != kind:
            raise AlloySyntaxError(tok.line, tok.col, "expected %s, got %s" % (what or repr(kind), self.describe(tok)))
        return self.next()

    @staticmethod
    def describe(tok):
        if tok.kind == "TERM":
            return "newline"
        if tok.kind == "EOF":
            return "EOF"
        return repr(tok.value) if tok.kind in ("STRING", "NUMBER", "IDENT", "LITERAL") else tok.kind

    def skip_terms(self):
        while self.peek().kind in ("TERM", ";"):
            self.next()

    def parse_body(self, closing):
        body = []
        self.skip_terms()
        while self.peek().kind != closing:
            if self.peek().kind == "EOF":
                tok = self.peek()
                raise AlloySyntaxError(tok.line, tok.col, "expected '}', got EOF")
            body.append(self.parse_statement())
            tok = self.peek()
            if tok.kind in ("TERM", ";"):
                self.skip_terms()
            elif tok.kind != closing:
                raise AlloySyntaxError(tok.line, tok.col, "expected newline, got %s" % self.describe(tok))
        return body

    def parse_statement(self):
        first = self.expect("IDENT", "identifier")
        names = [first.value]
        while self.peek().kind == ".":
            self.next()
            names.append(self.expect("IDENT", "identifier").value)
        tok = self.peek()
        if tok.kind == "=":
            if len(names) > 1:
                raise AlloySyntaxError(first.line, first.col, "attribute names may only consist of a single identifier")
            self.next()
            start = self.peek().start
            value = self.parse_expr()
            return Attribute(names[0], value, first.line, self.text[start:self.tokens[self.pos - 1].end])
        label = None
        if tok.kind == "STRING":
            label = self.next().value
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", label):
                raise AlloySyntaxError(tok.line, tok.col, "expected block label to be a valid identifier, got %r" % label)
            tok = self.peek()
        if tok.kind != "{":
            raise AlloySyntaxError(tok.line, tok.col, "expected attribute assignment or block body, got %s" % self.describe(tok))
        self.next()
        body = self.parse_body("}")
        self.expect("}", "'}'")
        return Block(".".join(names), label, body, first.line)

    def parse_expr(self, level=0):
        if level == len(_PRECEDENCE):
            return self.parse_unary()
        left = self.parse_expr(level + 1)
        while self.peek().kind in _PRECEDENCE[level]:
            op = self.next().kind
            right = self.parse_expr(level + 1 if op != "^" else level)
            left = ("binary", op, left, right)
        return left

    def parse_unary(self):
        if self.peek().kind in ("!", "-"):
            op = self.next().kind
            return ("unary", op, self.parse_unary())
        return self.parse_postfix(self.parse_primary())

    def parse_postfix(self, expr):
        while True:
            tok = self.peek()
            if tok.kind == ".":
                self.next()
                name = self.expect("IDENT", "identifier").value
                expr = ("ref", expr[1] + [name]) if expr[0] == "ref" else ("access", expr, name)
            elif tok.kind == "[":
                self.next()
                index = self.parse_expr()
                self.expect("]", "']'")
                expr = ("index", expr, index)
            elif tok.kind == "(":
                self.next()
                args = self.parse_list_items(")")
                expr = ("call", expr, args)
            else:
                return expr

    def parse_list_items(self, closing):
        items = []
        while self.peek().kind != closing:
            items.append(self.parse_expr())
            tok = self.peek()
            if tok.kind == ",":
                self.next()
            elif tok.kind != closing:
                raise AlloySyntaxError(tok.line, tok.col, "missing ',' in %s" % ("list" if closing == "]" else "argument list"))
        self.next()
        return items

    def parse_primary(self):
        tok = self.next()
        if tok.kind == "STRING":
            return ("literal", tok.value)
        if tok.kind == "NUMBER":
            return ("literal", float(tok.value) if re.search(r"[.eE]", tok.value) else int(tok.value))
        if tok.kind == "LITERAL":
            return ("literal", {"true": True, "false": False, "null": None}[tok.value])
        if tok.kind == "IDENT":
            return ("ref", [tok.value])
        if tok.kind == "(":
            inner = self.parse_expr()
            self.expect(")", "')'")
            return inner
        if tok.kind == "[":
            return ("list", self.parse_list_items("]"))
        if tok.kind == "{":
            fields = []
            while self.peek().kind != "}":
                key_tok = self.next()
                if key_tok.kind not in ("IDENT", "STRING"):
                    raise AlloySyntaxError(key_tok.line, key_tok.col, "expected field name, got %s" % self.describe(key_tok))
                self.expect("=", "'='")
                fields.append((key_tok.value, self.parse_expr()))
                nxt = self.peek()
                if nxt.kind == ",":
                    self.next()
                elif nxt.kind != "}":
                    raise AlloySyntaxError(nxt.line, nxt.col, "missing ',' in field list")
            self.next()
            return ("object", fields)
        raise AlloySyntaxError(tok.line, tok.col, "expected expression, got %s" % self.describe(tok))


def parse(text):
    """The list of top-level statements of ``text``; AlloySyntaxError on a syntax error."""
    parser = Parser(text)
    body = parser.parse_body("EOF")
    return body


def literal(expr):
    """The Python value of a constant expression (lists and objects of literals); ValueError otherwise."""
    kind = expr[0]
    if kind == "literal":
        return expr[1]
    if kind == "list":
        return [literal(e) for e in expr[1]]
    if kind == "object":
        return dict((k, literal(v)) for k, v in expr[1])
    raise ValueError("not a constant expression")


# --- semantic checks -----------------------------------------------------------------------

# Component -> (exports, required arguments, required blocks). Only components are listed; any
# ``prometheus.exporter.*`` and ``discovery.*`` component exports ``targets``.
COMPONENTS = {
    "prometheus.exporter.unix": (("targets",), (), ()),
    "prometheus.exporter.self": (("targets",), (), ()),
    "prometheus.exporter.process": (("targets",), (), ()),
    "prometheus.exporter.blackbox": (("targets",), (), ()),
    "prometheus.exporter.cadvisor": (("targets",), (), ()),
    "prometheus.scrape": ((), ("targets", "forward_to"), ()),
    "prometheus.remote_write": (("receiver",), (), ()),
    "prometheus.relabel": (("receiver", "rules"), ("forward_to",), ()),
    "prometheus.receive_http": ((), ("forward_to",), ()),
    "discovery.relabel": (("output", "rules"), ("targets",), ()),
    "discovery.file": (("targets",), ("files",), ()),
    "discovery.http": (("targets",), ("url",), ()),
    "discovery.dns": (("targets",), ("names",), ()),
    "discovery.docker": (("targets",), ("host",), ()),
    "local.file": (("content",), ("filename",), ()),
    "local.file_match": (("targets",), ("path_targets",), ()),
    "remote.http": (("content",), ("url",), ()),
    "loki.source.journal": ((), ("forward_to",), ()),
    "loki.source.file": ((), ("targets", "forward_to"), ()),
    "loki.source.api": ((), ("forward_to",), ()),
    "loki.source.syslog": ((), ("forward_to",), ()),
    "loki.write": (("receiver",), (), ()),
    "loki.relabel": (("receiver", "rules"), ("forward_to",), ()),
    "loki.process": (("receiver",), ("forward_to",), ()),
    "loki.echo": (("receiver",), (), ()),
    "otelcol.receiver.otlp": ((), (), ("output",)),
    "otelcol.receiver.jaeger": ((), (), ("protocols", "output")),
    "otelcol.receiver.zipkin": ((), (), ("output",)),
    "otelcol.receiver.prometheus": (("receiver",), (), ("output",)),
    "otelcol.receiver.loki": (("receiver",), (), ("output",)),
    "otelcol.processor.batch": (("input",), (), ("output",)),
    "otelcol.processor.memory_limiter": (("input",), (), ("output",)),
    "otelcol.processor.attributes": (("input",), (), ("output",)),
    "otelcol.processor.resourcedetection": (("input",), (), ("output",)),
    "otelcol.processor.transform": (("input",), (), ("output",)),
    "otelcol.processor.k8sattributes": (("input",), (), ("output",)),
    "otelcol.exporter.otlp": (("input",), (), ("client",)),
    "otelcol.exporter.otlphttp": (("input",), (), ("client",)),
    "otelcol.exporter.debug": (("input",), (), ()),
    "otelcol.exporter.prometheus": (("input",), ("forward_to",), ()),
    "otelcol.exporter.loki": (("input",), ("forward_to",), ()),
    "otelcol.connector.spanmetrics": (("input",), (), ("output",)),
    "otelcol.connector.servicegraph": (("input",), (), ("output",)),
    "otelcol.auth.bearer": (("handler",), ("token",), ()),
    "otelcol.auth.basic": (("handler",), (), ()),
    "otelcol.auth.headers": (("handler",), (), ()),
}
# Top-level configuration blocks (no label) and module blocks (label required).
CONFIG_BLOCKS = {"logging", "tracing", "http", "remotecfg", "livedebugging", "foreach"}
MODULE_BLOCKS = {"declare", "import.file", "import.string", "import.http", "import.git"}
# Standard library: namespaces and functions a reference may start with.
STDLIB = {"constants", "sys", "env", "encoding", "string", "array", "convert", "file", "json_path",
          "json_decode", "yaml_decode", "base64_decode", "coalesce", "concat", "format", "join",
          "nonsensitive", "replace", "split", "to_lower", "to_upper", "trim", "trim_prefix",
          "trim_suffix", "discovery_target_decode", "argument"}


def _component_type(name):
    if name in COMPONENTS:
        return COMPONENTS[name]
    if name.startswith("prometheus.exporter.") or name.startswith("discovery."):
        return (("targets",), (), ())
    return None


def _walk_refs(expr, out):
    kind = expr[0]
    if kind == "ref":
        out.append(expr[1])
    elif kind in ("index",):
        _walk_refs(expr[1], out)
        _walk_refs(expr[2], out)
    elif kind == "access":
        _walk_refs(expr[1], out)
    elif kind == "call":
        _walk_refs(expr[1], out)
        for arg in expr[2]:
            _walk_refs(arg, out)
    elif kind == "list":
        for item in expr[1]:
            _walk_refs(item, out)
    elif kind == "object":
        for _key, value in expr[1]:
            _walk_refs(value, out)
    elif kind == "unary":
        _walk_refs(expr[2], out)
    elif kind == "binary":
        _walk_refs(expr[2], out)
        _walk_refs(expr[3], out)


def _attributes_deep(block):
    for statement in block.body:
        if isinstance(statement, Attribute):
            yield statement
        else:
            yield from _attributes_deep(statement)


def components(tree):
    """``{"name.label": Block}`` of the top-level component blocks."""
    return dict((b.key, b) for b in tree if isinstance(b, Block) and b.name not in CONFIG_BLOCKS)


def check(tree):
    """The problems Alloy's loader would report for a parsed file (an empty list when it loads)."""
    problems = []
    defined = {}
    custom = set()
    imports = set()
    for statement in tree:
        if isinstance(statement, Attribute):
            problems.append("%d: unrecognized attribute name %r at top level" % (statement.line, statement.name))
            continue
        if statement.name == "declare":
            custom.add(statement.label)
        elif statement.name.startswith("import."):
            imports.add(statement.label)
    for block in tree:
        if not isinstance(block, Block):
            continue
        if block.name in CONFIG_BLOCKS:
            if block.label is not None:
                problems.append("%d: block %s does not support labels" % (block.line, block.name))
            if block.name in defined:
                problems.append("%d: block %s already declared" % (block.line, block.name))
            defined[block.name] = block
            continue
        known = _component_type(block.name) is not None or block.name in MODULE_BLOCKS or block.name in custom \
            or block.name.split(".")[0] in imports
        if not known:
            problems.append("%d: unrecognized component name %r" % (block.line, block.name))
            continue
        if block.label is None:
            problems.append("%d: component %r must have a label" % (block.line, block.name))
            continue
        if block.key in defined:
            problems.append("%d: component %r already declared" % (block.line, block.key))
        defined[block.key] = block
        spec = _component_type(block.name)
        if spec:
            attributes = block.attributes()
            for name in spec[1]:
                if name not in attributes:
                    problems.append("%d: missing required attribute %r in %s" % (block.line, name, block.key))
            for name in spec[2]:
                if not block.blocks(name):
                    problems.append("%d: missing required block %r in %s" % (block.line, name, block.key))
    for block in tree:
        if not isinstance(block, Block) or block.name == "declare":
            continue
        for attribute in _attributes_deep(block):
            refs = []
            _walk_refs(attribute.value, refs)
            for ref in refs:
                problem = _resolve(ref, defined)
                if problem:
                    problems.append("%d: %s" % (attribute.line, problem))
    return problems


def _resolve(ref, defined):
    if ref[0] in STDLIB:
        return None
    for size in range(len(ref) - 1, 0, -1):
        key = ".".join(ref[:size + 1])
        if key in defined:
            block = defined[key]
            spec = _component_type(block.name)
            if spec and len(ref) > size + 1 and ref[size + 1] not in spec[0]:
                return "%s does not export %r" % (key, ref[size + 1])
            if spec and len(ref) == size + 1 and spec[0]:
                return "%s is a component, not a value: reference one of its exports %s" % (key, ", ".join(spec[0]))
            return None
    return "component %r does not exist or is out of scope" % ".".join(ref)


def validate(text):
    """Parse and check ``text``; the list of problems (a syntax error is one problem)."""
    try:
        tree = parse(text)
    except AlloySyntaxError as exc:
        return [str(exc)]
    return check(tree)
