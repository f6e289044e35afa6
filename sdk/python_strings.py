"""String literals of a Python file and the names they are bound to.

A rule about hardcoded values (credentials, URLs, hosts) needs every place a literal
string meets a name: ``name = "v"`` in every form (attributes, class attributes,
annotated, ``app.config["KEY"] = "v"``), ``f(name="v")`` (``dict(...)`` included),
``def f(name="v")`` (keyword-only included), ``{"name": "v"}``, field declarations
(``api_key: str = Field(default="v")``, ``SecretStr("v")``), and the fallback of an
environment lookup (``os.getenv("NAME", "v")``, ``os.environ.get``,
``environ.setdefault``, ``config("NAME", default="v")``). :func:`string_bindings`
yields each one with the span of the literal; :func:`string_literals` yields every
string literal that is not a docstring, for rules that look inside strings whatever
they are bound to.

Both read the ``ast`` tree in one pass; a file parsed with LibCST only (syntax newer
than the interpreter) has no ``tree`` and yields nothing.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Collection, Iterator

import attrs

from .files import PythonFile
from .model import Span

__all__ = ["StringBinding", "StringLiteral", "literal_span", "string_bindings", "string_literals"]

# callees whose (name, fallback) arguments read a setting with a literal fallback
_ENV_LOOKUPS = frozenset({"getenv", "get", "setdefault", "config", "env", "str", "get_env", "getenv_or", "environ_get"})
# callees whose (name, value) arguments write a variable into the environment
_ENV_WRITES = frozenset({"setenv", "putenv"})
# basic-auth constructors whose second positional argument is the password
_BASIC_AUTH = frozenset({"HTTPBasicAuth", "HTTPDigestAuth", "HTTPProxyAuth", "BasicAuth", "DigestAuth"})
# logins whose second positional argument is the password (smtplib, ftplib, imaplib, poplib's
# user/pass_ excluded; python-ldap binds)
_LOGINS = frozenset({"login", "simple_bind_s", "simple_bind", "bind_s"})


@attrs.frozen(slots=True)
class StringBinding:
    """A string literal bound to a name.

    ``context`` says how: ``"assignment"`` (``target`` is its text, such as
    ``self.password`` or ``app.config['SECRET_KEY']``), ``"keyword"`` (``target`` is the
    callee's dotted text), ``"parameter"`` (``target`` is the function's name),
    ``"dict"`` (a dict display key), ``"env-default"`` (the fallback of an
    environment lookup; ``target`` is the callee), ``"env-write"`` (a value written
    into the environment: ``os.environ["NAME"] = "v"``, ``monkeypatch.setenv("NAME",
    "v")``, ``os.putenv``), ``"auth"`` (the password of a basic-auth pair:
    ``auth=("user", "v")``, ``HTTPBasicAuth("user", "v")``, ``session.auth = (...)``, ``smtp.login("user", "v")``;
    ``name`` is ``"password"``) or ``"container"`` (a value of a dict, list, tuple or set
    display assigned to ``name``: ``PARTNER_KEYS = {"acme": "v"}``; ``key`` is the dict
    key, ``None`` for a list item). ``value`` is the literal (bytes are decoded as
    UTF-8), ``node`` its ``ast`` node and ``span`` its position.
    """

    name: str
    value: str
    context: str
    target: str
    node: ast.AST = attrs.field(eq=False, repr=False)
    span: Span
    key: str | None = None


@attrs.frozen(slots=True)
class StringLiteral:
    """A string literal that is not a docstring (f-string parts included)."""

    value: str
    node: ast.AST = attrs.field(eq=False, repr=False)


def _text(node: ast.AST) -> str | None:
    if isinstance(node, (ast.Constant)):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            try:
                return node.value.decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


# field declarations whose default is the value a name gets: ``api_key: str = Field(default="...")``
_WRAPPERS = frozenset({"Field", "field", "SecretStr", "SecretBytes", "Secret", "Column", "attrib", "ib"})


def _wrapped_default(call: ast.Call) -> ast.AST:
    """The default a field declaration gives (``Field("v")``, ``Field(default="v")``,
    ``SecretStr("v")``), or the call itself."""
    if _dotted(call.func).rsplit(".", 1)[-1] not in _WRAPPERS:
        return call
    for keyword in call.keywords:
        if keyword.arg == "default":
            return keyword.value
    return call.args[0] if call.args else call


def _target_name(node: ast.AST) -> tuple[str, str] | None:
    """The name an assignment target binds and the target's text."""
    if isinstance(node, ast.Name):
        return node.id, node.id
    if isinstance(node, ast.Attribute):
        return node.attr, _dotted(node)
    if isinstance(node, ast.Subscript):
        key = _text(node.slice)
        if key is not None:
            return key, f"{_dotted(node.value)}[{key!r}]"
    return None


_DEFINITIONS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _walk(tree: ast.Module, lines: Collection[int] | None, docstrings: set[int] | None = None) -> Iterator[ast.AST]:
    """Every node of ``tree`` (parents first), or only the nodes whose lines meet one of
    ``lines``: subtrees elsewhere are never entered, so a file costs what its candidate
    lines do. Docstring constants met on the way are added to ``docstrings``."""
    wanted = sorted(set(lines)) if lines is not None else None
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if wanted is not None and not isinstance(node, ast.Module):
            first = getattr(node, "lineno", None)
            if first is not None:
                last = getattr(node, "end_lineno", None) or first
                at = bisect.bisect_left(wanted, first)
                if at == len(wanted) or wanted[at] > last:
                    continue
        yield node
        if docstrings is not None and isinstance(node, _DEFINITIONS):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def string_bindings(file: PythonFile, lines: Collection[int] | None = None) -> Iterator[StringBinding]:
    """Every string literal bound to a name, in source order; with ``lines``, only the
    bindings whose statement or expression meets one of those lines."""
    tree = file.tree
    if tree is None:
        return

    def bind(name: str, value_node: ast.AST, context: str, target: str) -> StringBinding | None:
        if isinstance(value_node, ast.Call) and context == "assignment":
            value_node = _wrapped_default(value_node)
        value = _text(value_node)
        if value is None or not name:
            return None
        return StringBinding(name, value, context, target, value_node, file.span_of(value_node))

    def assigned(target_node: ast.AST, value_node: ast.AST) -> list[StringBinding | None]:
        named = _target_name(target_node)
        if named is None:
            return []
        name, text = named
        if isinstance(target_node, ast.Subscript) and _dotted(target_node.value).endswith("environ"):
            return [bind(name, value_node, "env-write", text)]
        if name == "auth" or name.endswith("_auth"):
            password = _auth_pair(value_node)
            if password is not None:
                return [bind("password", password, "auth", text)]
        out = [bind(name, value_node, "assignment", text)]
        out.extend(container(name, value_node, text))
        return out

    def container(name: str, value_node: ast.AST, text: str) -> Iterator[StringBinding | None]:
        if isinstance(value_node, ast.Dict):
            for key, item in zip(value_node.keys, value_node.values):
                key_text = _text(key) if key is not None else None
                if key_text is not None:
                    yield _keyed(bind(name, item, "container", f"{text}[{key_text!r}]"), key_text)
        elif isinstance(value_node, (ast.List, ast.Tuple, ast.Set)):
            for item in value_node.elts:
                yield bind(name, item, "container", text)
        elif isinstance(value_node, ast.Call) and _dotted(value_node.func) == "dict":
            for keyword in value_node.keywords:
                if keyword.arg is not None:
                    yield _keyed(bind(name, keyword.value, "container", f"{text}[{keyword.arg!r}]"), keyword.arg)

    for node in _walk(tree, lines):
        found: list[StringBinding | None] = []
        if isinstance(node, ast.Assign):
            for target in node.targets:
                found.extend(assigned(target, node.value))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            found.extend(assigned(node.target, node.value))
        elif isinstance(node, ast.Call):
            callee = _dotted(node.func)
            for keyword in node.keywords:
                if keyword.arg is None:
                    continue
                password = _auth_pair(keyword.value) if keyword.arg == "auth" else None
                if password is not None:
                    found.append(bind("password", password, "auth", callee))
                else:
                    found.append(bind(keyword.arg, keyword.value, "keyword", callee))
            last = callee.rsplit(".", 1)[-1]
            if (last in _BASIC_AUTH or last in _LOGINS) and len(node.args) >= 2:
                found.append(bind("password", node.args[1], "auth", callee))
            if last in _ENV_WRITES and len(node.args) >= 2:
                name = _text(node.args[0])
                if name is not None:
                    found.append(bind(name, node.args[1], "env-write", callee))
            if last in _ENV_LOOKUPS and node.args:
                name = _text(node.args[0])
                if name is not None:
                    fallback = node.args[1] if len(node.args) > 1 else None
                    for keyword in node.keywords:
                        if keyword.arg == "default":
                            fallback = keyword.value
                    if fallback is not None:
                        found.append(bind(name, fallback, "env-default", callee))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                name = _text(key) if key is not None else None
                if name is not None:
                    found.append(bind(name, value, "dict", ""))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            for argument, default in zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults):
                found.append(bind(argument.arg, default, "parameter", getattr(node, "name", "lambda")))
            for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
                if default is not None:
                    found.append(bind(argument.arg, default, "parameter", getattr(node, "name", "lambda")))
        for binding in found:
            if binding is not None:
                yield binding


def _auth_pair(node: ast.AST) -> ast.AST | None:
    """The password of a ``("user", "password")`` pair, or ``None``."""
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
        return node.elts[1]
    return None


def _keyed(binding: StringBinding | None, key: str) -> StringBinding | None:
    return attrs.evolve(binding, key=key) if binding is not None else None


def string_literals(file: PythonFile, lines: Collection[int] | None = None) -> Iterator[StringLiteral]:
    """Every ``str`` or ``bytes`` literal except docstrings; with ``lines``, only those
    that meet one of those lines."""
    tree = file.tree
    if tree is None:
        return
    docstrings: set[int] = set()
    for node in _walk(tree, lines, docstrings):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = _text(node)
            if value:
                yield StringLiteral(value, node)


def literal_span(file: PythonFile, node: ast.AST, start: int | None = None, end: int | None = None) -> Span:
    """The span of a literal, or of the characters ``value[start:end]`` inside it when
    they are written as they are (no escapes between); otherwise the whole literal."""
    span = file.span_of(node)
    if start is None or end is None:
        return span
    value = _text(node)
    if value is None:
        return span
    starts = file._line_starts
    first = starts[span.line - 1] + span.column - 1
    last = starts[span.end_line - 1] + span.end_column - 1
    raw = file.text[first:last]
    piece = value[start:end]
    at = raw.find(piece)
    if at < 0 or not piece:
        return span
    return file.span_from_offsets(first + at, first + at + len(piece))
