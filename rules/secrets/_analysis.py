"""One pass over a file finds every hardcoded credential; each rule reports its share.

Every value is judged once, by the most specific reading first: a vendor token
(SEC002), then a connection URL with a password (SEC003), then a literal bound to a
credential name: in Python (SEC001), where a secret store fits (SEC005: Kubernetes
``env[].value``, Compose ``environment``, Terraform resource and provider arguments) or
in any other configuration (SEC004). The rules of the family run one after the other on
the same file model, so the result is kept for that model.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
import time
from collections.abc import Callable

import attrs
from prodready_lint.sdk import FileKind, SourceFile, Span, redact
from prodready_lint.sdk.python_strings import literal_span, string_bindings, string_literals
from prodready_lint.sdk.secrets import (
    authorization_credential,
    collection_credential_kind,
    credential_kind,
    dsn_passwords,
    embedded_json,
    find_tokens,
    has_token_prefix,
    is_delivered_password,
    is_example_path,
    is_test_path,
    iter_lines_with_pragma,
    json_leaves,
    looks_like_secret,
    reference_default,
    sibling_name,
    token_offsets,
    url_passwords,
)

PYTHON, TOKENS, URLS, CONFIG, STORE = "SEC001", "SEC002", "SEC003", "SEC004", "SEC005"

FILE_BUDGET = 10.0
"""CPU seconds one file's secret scan may take (CPU, not wall time, so a busy machine
does not change the results); what is left is named in a finding."""

_LOCK_FILES = frozenset(
    {"package-lock.json", "npm-shrinkwrap.json", "composer.lock", "pipfile.lock", "poetry.lock", "yarn.lock"}
)
_KEY_FILES = (".pem", ".key", ".p8", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".ppk")


@attrs.frozen(slots=True)
class Candidate:
    rule: str
    at: Span
    secret: Span
    message: str
    test: bool = False
    note: bool = False


def shown(value: str) -> str:
    """How a message shows a secret: redacted, at most 4 characters kept, never its length in full."""
    prefix = redact(value).rstrip("*")[:4]
    return f"'{prefix}****'"


_memo: list = [None, None]


def analyze(file: SourceFile) -> tuple[Candidate, ...]:
    """Every candidate finding of the family in ``file`` (computed once per file model)."""
    if _memo[0] is file:
        return _memo[1]
    result = tuple(_analyze(file))
    _memo[0], _memo[1] = file, result
    return result


def _analyze(file: SourceFile) -> list[Candidate]:
    path = file.path
    name = path.rsplit("/", 1)[-1].lower()
    if name in _LOCK_FILES or is_example_path(path):
        return []
    scanner = _Scanner(file)
    kind = file.kind
    if kind is FileKind.PYTHON:
        scanner.python()
    elif kind is FileKind.YAML:
        scanner.yaml()
    elif kind in (FileKind.ENV, FileKind.INI, FileKind.TOML, FileKind.JSON):
        scanner.config()
    elif kind is FileKind.DOCKERFILE:
        scanner.dockerfile()
    elif kind is FileKind.TERRAFORM:
        scanner.terraform()
    elif kind is FileKind.SHELL:
        scanner.text()
    elif kind is FileKind.PEM or name.endswith(_KEY_FILES):
        scanner.text(private_keys_only=True)
    allowed = set(iter_lines_with_pragma(file.lines)) if "allowlist" in file.text else set()
    test = is_test_path(path)
    out = []
    for candidate in scanner.found:
        if candidate.at.line in allowed or candidate.secret.line in allowed:
            continue
        out.append(attrs.evolve(candidate, test=test) if test else candidate)
    return out


class _Scanner:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.found: list[Candidate] = []
        self.done: set[tuple[int, int]] = set()  # (line, column) of values already judged
        self.done_lines: set[int] = set()  # lines whose value was judged (a list item's text starts earlier)
        self.deadline = time.process_time() + FILE_BUDGET
        self.skipped = 0

    # -- helpers -----------------------------------------------------------------

    def over_budget(self) -> bool:
        if time.process_time() <= self.deadline:
            return False
        self.skipped += 1
        return True

    def finish(self) -> None:
        if self.skipped:
            at = Span(1)
            self.found.append(
                Candidate(
                    TOKENS,
                    at,
                    at,
                    f"the secret scan of this file stopped after {FILE_BUDGET:g} s: {self.skipped} values were not "
                    "examined; split the file or exclude it if it is generated",
                    note=True,
                )
            )

    def offsets(self, span: Span) -> tuple[int, int]:
        starts = self.file._line_starts
        return starts[span.line - 1] + span.column - 1, starts[span.end_line - 1] + span.end_column - 1

    def inside(self, span: Span, value: str, start: int, end: int) -> Span:
        """The span of ``value[start:end]`` inside a value written at ``span``."""
        first, last = self.offsets(span)
        raw = self.file.text[first:last]
        piece = value[start:end]
        at = raw.find(piece) if piece else -1
        if at < 0:
            return span
        return self.file.span_from_offsets(first + at, first + at + len(piece))

    def add(self, rule: str, at: Span, secret: Span, message: str) -> None:
        self.done.add((at.line, at.column))
        self.found.append(Candidate(rule, at, secret, message))

    def inline(self, value: str, span: Span, where: str, locate: Callable[[int, int], Span] | None = None) -> bool:
        """Vendor tokens, then URL passwords, anywhere in ``value``; True when one was found."""
        locate = locate or (lambda start, end: self.inside(span, value, start, end))
        hit = False
        if has_token_prefix(value):
            for token in find_tokens(value):
                secret = locate(token.start, token.end)
                piece = value[token.start : token.end]
                self.add(
                    TOKENS,
                    secret,
                    secret,
                    f"{token.kind} {shown(piece)} hardcoded in {where}; revoke it and load it at run time from "
                    "the environment or a secret store",
                )
                hit = True
        if not hit and "=" in value:
            for start, end in dsn_passwords(value):
                secret = locate(start, end)
                self.add(
                    URLS,
                    secret,
                    secret,
                    f"connection string embeds a password ({shown(value[start:end])}) in {where}; build it from a "
                    "password read from the environment or a secret store",
                )
                hit = True
        if not hit and "://" in value and "@" in value:
            for found in url_passwords(value):
                secret = locate(found.start, found.end)
                self.add(
                    URLS,
                    secret,
                    secret,
                    f"{found.scheme} URL to {found.host!r} embeds a password ({shown(value[found.start : found.end])}) "
                    f"in {where}; build the URL from a password read from the environment or a secret store",
                )
                hit = True
        return hit

    # -- Python ------------------------------------------------------------------

    def python(self) -> None:
        file = self.file
        judged: set[int] = set()
        token_lines, name_lines = _python_candidate_lines(file)
        for literal in string_literals(file, token_lines) if token_lines else ():  # type: ignore[arg-type]
            if self.over_budget():
                break
            value = literal.value
            if has_token_prefix(value) or ("://" in value and "@" in value) or "=" in value:
                span = file.span_of(literal.node)  # type: ignore[attr-defined]
                node = literal.node
                if self.inline(value, span, "a string literal", lambda s, e, n=node: literal_span(file, n, s, e)):
                    judged.add(id(literal.node))
        for binding in string_bindings(file, name_lines) if name_lines else ():  # type: ignore[arg-type]
            if self.over_budget():
                break
            if id(binding.node) in judged:
                continue
            if binding.context == "container":
                credential = collection_credential_kind(binding.name, binding.key)
                if credential is None or credential_kind(binding.value) is not None:
                    continue
            else:
                header = authorization_credential(binding.name, binding.value)
                if header is not None:
                    text, at, label = header
                    if looks_like_secret(_basic_password(text) if label.startswith("basic") else text, "token"):
                        judged.add(id(binding.node))
                        secret = literal_span(file, binding.node, at, at + len(text))
                        self.add(PYTHON, secret, secret, _header_message(label, text))
                    continue
                credential = credential_kind(binding.name)
            if credential is None:
                continue
            kind, strong = credential
            if not looks_like_secret(binding.value, kind, strong=strong) or _names_itself(binding.name, binding.value):
                continue
            judged.add(id(binding.node))
            self.add(PYTHON, binding.span, binding.span, _python_message(binding, kind))
        json_lines = _json_literal_lines(file) if name_lines else set()
        for literal in string_literals(file, json_lines) if json_lines else ():  # type: ignore[arg-type]
            if id(literal.node) in judged or literal.value[:1] not in "{[" or self.over_budget():
                continue
            data = embedded_json(literal.value)
            if data is not None:
                span = file.span_of(literal.node)  # type: ignore[attr-defined]
                self.embedded(PYTHON, data, span, "a JSON string")
        self.finish()

    # -- configuration files --------------------------------------------------------

    def config(self) -> None:
        file = self.file
        if "(" in file.path.rsplit("/", 1)[-1]:
            return
        for entry in file.entries:  # type: ignore[attr-defined]
            if self.over_budget():
                break
            value = entry.value
            if not isinstance(value, str) or not value:
                continue
            span = entry.value_span
            where = f"{entry.path}"
            if self.inline(value, span, f"{where!r}"):
                continue
            data = embedded_json(value) if value[:1] in "{[" else None
            if data is not None:
                self.embedded(CONFIG, data, span, where)
                continue
            name = entry.key
            if name == "value":  # {"type": "password", "value": ...}, {"name": "DB_PASSWORD", "value": ...}
                name = sibling_name(file.get(entry.keys[:-1])) or name
            elif isinstance(name, int) and file.kind is FileKind.JSON:  # "bindCredential": ["..."]
                name = next((k for k in reversed(entry.keys) if isinstance(k, str)), None)
            if file.kind is FileKind.JSON and _cloudformation_password(file.data, entry.keys):  # type: ignore[attr-defined]
                continue  # the AWS rules report how this password is delivered (AWS019)
            self.named(CONFIG, name, value, span, _config_message(file.kind, entry.path))
        self.finish()

    def embedded(self, rule: str, data: object, span: Span, where: str) -> None:
        """Judge the leaves of JSON written inside a string value (found at ``span``)."""
        for path, name, value in json_leaves(data):
            if not value:
                continue
            inner = ".".join(str(p) for p in path)
            if self.inline(value, span, f"{inner!r} of the JSON in {where}", lambda s, e, sp=span: sp):
                continue
            self.named(
                rule,
                name,
                value,
                span,
                lambda kind, shown_value, i=inner: (
                    f"{kind} {shown_value} hardcoded at {i!r} of JSON written in {where}; reference it from the "
                    "environment or a secret store instead"
                ),
                locate=False,
            )

    def named(
        self,
        rule: str,
        name: object,
        value: str,
        span: Span,
        message: Callable[[str, str], str],
        locate: bool = True,
    ) -> None:
        """Judge a literal bound to ``name``; a lone ``${VAR:-fallback}`` is judged by its
        fallback, an ``Authorization`` header by its credential. ``locate=False``: the value
        is not written as it reads at ``span`` (decoded, escaped), which is reported whole."""
        if not isinstance(name, str):
            return
        header = authorization_credential(name, value)
        if header is not None:
            text, at, label = header
            if looks_like_secret(_basic_password(text) if label.startswith("basic") else text, "token"):
                secret = self.inside(span, value, at, at + len(text)) if locate else span
                self.add(rule, secret, secret, _header_message(label, text))
            return
        credential = credential_kind(name)
        if credential is None:
            return
        kind, strong = credential
        fallback = reference_default(value) if "${" in value else None
        if fallback is not None:
            text, at = fallback
            if looks_like_secret(text, kind, strong=strong):
                secret = self.inside(span, value, at, at + len(text)) if locate else span
                self.add(
                    rule,
                    secret,
                    secret,
                    f"the fallback of {value[: value.find(':') if ':' in value else 2]}}} is a literal {kind} "
                    f"({shown(text)}); drop the fallback so a missing {name} fails instead of using it",
                )
            return
        if looks_like_secret(value, kind, strong=strong) and not _names_itself(name, value):
            self.add(rule, span, span, message(kind, shown(value)))

    # -- YAML -----------------------------------------------------------------------

    def yaml(self) -> None:
        from prodready_lint.sdk import YamlMapping, compose_services, kube_objects

        file = self.file
        for service in compose_services(file):  # type: ignore[arg-type]
            for variable in service.environment:
                if isinstance(variable.value, str) and variable.value_span is not None:
                    span = variable.value_span
                    self.done.add((span.line, span.column))
                    self.done_lines.add(span.line)
                    # Tokens and URL passwords are this family's; a credential by name alone is
                    # a delivery problem, which the container rules report (secret-in-env-literal).
                    self.inline(variable.value, span, f"the environment of service {service.name!r}")
        manifest = False
        kustomize = file.path.rsplit("/", 1)[-1].lower() in ("kustomization.yaml", "kustomization.yml")
        documents = file.documents  # type: ignore[attr-defined]
        template = documents[0] if len(documents) == 1 and isinstance(documents[0], dict) else None
        for obj in kube_objects(file):  # type: ignore[arg-type]
            manifest = True
            if obj.kind != "Secret":
                continue
            for section in ("stringData", "data"):
                mapping = obj.node.get(section)
                if not isinstance(mapping, YamlMapping):
                    continue
                for key, value in mapping.items():
                    if not isinstance(value, str) or not isinstance(key, str):
                        continue
                    span = mapping.value_span(key)
                    self.done.add((span.line, span.column))
                    text = _decode(value) if section == "data" else value
                    if text is None:
                        continue
                    where = f"Kubernetes Secret {obj.name!r} ({section}.{key})"
                    if section == "data":
                        if self.inline(text, span, where, lambda s, e, sp=span: sp):
                            continue
                    elif self.inline(text, span, where):
                        continue
                    data = embedded_json(text) if text.lstrip()[:1] in "{[" else None
                    if data is not None:  # a JSON file kept in the Secret (.dockerconfigjson, a key file)
                        self.embedded(CONFIG, data, span, where)
                        continue
                    if "\n" in text.strip():  # a .env or properties file kept in the Secret
                        self.config_text(text, span, where, locate=section == "stringData")
                        continue
                    self.named(
                        CONFIG,
                        key,
                        text,
                        span,
                        lambda kind, shown_value, w=where: (
                            f"{kind} {shown_value} committed in {w}; create the Secret at deploy time "
                            "(External Secrets, Sealed Secrets, SOPS) instead of keeping its value in the repository"
                        ),
                    )
        for entry in file.walk():  # type: ignore[attr-defined]
            if self.over_budget():
                break
            value = entry.value
            if not isinstance(value, str) or not value:
                continue
            span = entry.span
            if (span.line, span.column) in self.done or span.line in self.done_lines:
                continue
            where = ".".join(str(p) for p in entry.path) or "the document"
            if self.inline(value, span, f"{where!r}"):
                continue
            if value.lstrip()[:1] in "{[":
                data = embedded_json(value)
                if data is not None:
                    self.embedded(CONFIG, data, span, where)
                    continue
            if "\n" in value.strip():  # a config file or a script in a block scalar
                self.config_text(value, span, where)
                continue
            parent = entry.parent
            if kustomize and "=" in value and len(entry.path) >= 3 and entry.path[-2] == "literals":
                if entry.path[0] in ("secretGenerator", "configMapGenerator"):
                    self.generator_literal(value, span, entry.path[0])
                continue
            if isinstance(entry.key, int) and len(entry.path) >= 2 and isinstance(entry.path[-2], str):
                self.collection_item(entry.path[-2], None, value, span, where)  # apiTokens: [...]
                continue
            if not isinstance(parent, YamlMapping) or not isinstance(entry.key, str):
                continue
            if entry.key == "value" and "valueFrom" not in parent and not isinstance(parent.get("name"), str):
                named_by = sibling_name(parent)  # {type: password, value: ...}
                if named_by is not None:
                    self.named(
                        CONFIG,
                        named_by,
                        value,
                        span,
                        lambda kind, shown_value, w=where: (
                            f"{kind} {shown_value} hardcoded at {w!r}; reference it from a secret store or an "
                            "environment variable instead"
                        ),
                    )
                    continue
            if entry.key == "value" and isinstance(parent.get("name"), str) and "valueFrom" not in parent:
                if manifest:  # a workload's env: the container rules report its delivery
                    continue
                variable = parent["name"]
                self.named(
                    STORE,
                    variable,
                    value,
                    span,
                    lambda kind, shown_value, n=variable: (
                        f"{kind} {shown_value} set as a literal `value:` of environment variable {n}; use "
                        f"`valueFrom: {{secretKeyRef: {{name: <secret>, key: {n.lower()}}}}}` so it comes from a Secret"
                    ),
                )
                continue
            if template is not None and _cloudformation_password(template, entry.path):
                continue  # the AWS rules report how this password is delivered (AWS019)
            collection = entry.path[-2] if len(entry.path) >= 2 else None
            if (
                isinstance(collection, str)
                and credential_kind(entry.key) is None
                and authorization_credential(entry.key, value) is None
            ):
                self.collection_item(collection, entry.key, value, span, where)
                continue
            self.named(
                CONFIG,
                entry.key,
                value,
                span,
                lambda kind, shown_value, w=where: (
                    f"{kind} {shown_value} hardcoded at {w!r}; reference it from a secret store or an environment "
                    "variable (a Secret, ${VAR}, a vault lookup) instead"
                ),
            )
        self.finish()

    def collection_item(self, collection: str, key: str | None, value: str, span: Span, where: str) -> None:
        """A value of a mapping or list whose own name says credentials (``partnerKeys:
        {acme: ...}``, ``apiTokens: [...]``), under a key that names nothing itself;
        judged as a weak name: only a value that looks random counts."""
        credential = collection_credential_kind(collection, key)
        if credential is None or credential_kind(value) is not None:
            return
        kind = credential[0]
        if looks_like_secret(value, kind, strong=False):
            self.add(
                CONFIG,
                span,
                span,
                f"{kind} {shown(value)} hardcoded at {where!r}; reference it from a secret store or an environment "
                "variable instead",
            )

    def config_text(self, text: str, span: Span, where: str, locate: bool = True) -> None:
        """Judge the ``KEY=value`` and ``key: value`` lines of a configuration file written
        inside a value (a ConfigMap's `application.properties`, a Secret's `.env`); at
        most the first :data:`_EMBEDDED_LIMIT` characters."""
        for match in _CONFIG_LINE.finditer(text, 0, min(len(text), _EMBEDDED_LIMIT)):
            key, value = match["key"], match["value"]
            at = match.start("value")
            secret = self.inside(span, text, at, at + len(value)) if locate else span
            self.named(
                CONFIG,
                key,
                value,
                secret,
                lambda kind, shown_value, k=key, w=where: (
                    f"{kind} {shown_value} hardcoded as {k} in the file written at {w!r}; reference it from a "
                    "secret store or an environment variable instead"
                ),
                locate=False,
            )

    def generator_literal(self, value: str, span: Span, generator: str) -> None:
        """A Kustomize ``secretGenerator`` (or ``configMapGenerator``) literal ``KEY=value``."""
        key, _, text = value.partition("=")
        key = key.strip()
        fix = (
            "generate the Secret from a file kept out of the repository (envs: or files: listed in .gitignore) or "
            "from a secret store (External Secrets, SOPS with KSOPS)"
        )
        self.named(
            CONFIG,
            key,
            text,
            self.inside(span, value, len(value) - len(text), len(value)),
            lambda kind, shown_value, k=key, g=generator: f"{kind} {shown_value} committed as {g} literal {k}; {fix}",
        )

    # -- Dockerfile ----------------------------------------------------------------

    def dockerfile(self) -> None:
        from prodready_lint.sdk import ArgInstruction, EnvInstruction

        for instruction in self.file.instructions:  # type: ignore[attr-defined]
            if isinstance(instruction, (EnvInstruction, ArgInstruction)):
                for pair in instruction.pairs:
                    if pair.value is None or pair.value_span is None or not pair.value:
                        continue
                    word = instruction.keyword
                    if self.inline(pair.value, pair.value_span, f"{word} {pair.key}"):
                        continue
                    self.named(
                        CONFIG,
                        pair.key,
                        pair.value,
                        pair.value_span,
                        lambda kind, shown_value, k=pair.key, w=word: (
                            f"{kind} {shown_value} baked into the image by {w} {k} (it stays in every layer and in "
                            f"`docker history`); mount it at build time with RUN --mount=type=secret,id={k.lower()} "
                            "or pass it to the container at run time"
                        ),
                    )
            elif instruction.keyword not in ("FROM", "LABEL", "EXPOSE", "USER", "WORKDIR"):
                text = instruction.arguments
                if has_token_prefix(text) or ("://" in text and "@" in text):
                    self.inline(text, instruction.span, f"a {instruction.keyword} instruction")
        self.finish()

    # -- Terraform -----------------------------------------------------------------

    def terraform(self) -> None:
        file = self.file
        for root, block, attribute in _terraform_attributes(file):
            value = attribute.value
            if root is not None and root.type == "resource" and root.labels:
                steps = (*([] if block is root else [block.type]), attribute.name)
                if is_delivered_password(root.labels[0], _nested_steps(root, block, attribute.name) or steps):
                    if isinstance(value, str) and value:
                        self.inline(value, attribute.value_span, f"{block.address} ({attribute.name})")
                    continue  # the AWS rules report how this password is delivered (AWS019)
            if not isinstance(value, str):
                if value is not None and not isinstance(value, (bool, int, float)) and block is not None:
                    self.terraform_structure(block, attribute)
                continue
            if not value:
                continue
            span = attribute.value_span
            owner = block.address if block is not None else "the variables file"
            if self.inline(value, span, f"{owner} ({attribute.name})"):
                continue
            if block is None or block.type == "locals":
                self.named(
                    CONFIG,
                    attribute.name,
                    value,
                    span,
                    lambda kind, shown_value, a=attribute.name: (
                        f"{kind} {shown_value} committed as {a}; pass it as TF_VAR_{a} from a secret store in CI, "
                        "or read it with a secrets-manager data source"
                    ),
                )
            elif block.type == "variable" and attribute.name == "default":
                self.named(
                    CONFIG,
                    block.name or "",
                    value,
                    span,
                    lambda kind, shown_value, b=block: (
                        f"{kind} {shown_value} is the default of {b.address}; remove the default, mark the "
                        "variable `sensitive = true` and supply it from a secret store"
                    ),
                )
            elif block.type in ("resource", "provider", "module", "data", "ephemeral") or (
                block.type not in ("variable", "output", "terraform")
            ):
                self.named(
                    STORE,
                    attribute.name,
                    value,
                    span,
                    lambda kind, shown_value, b=block, a=attribute.name: (
                        f"{kind} {shown_value} written literally as {a} of {b.address}; use a variable marked "
                        "`sensitive = true` or a secrets-manager data source (aws_secretsmanager_secret_version, "
                        "vault_generic_secret), or let the service generate it (manage_master_user_password)"
                    ),
                )
        self.finish()

    def terraform_structure(self, block, attribute) -> None:
        """Credentials inside an object, tuple or call of a Terraform value: a Lambda
        function's `environment { variables = {...} }`, a `kubernetes_secret`'s `data`,
        the `environment` of ECS container definitions in `jsonencode([...])`."""
        from prodready_lint.sdk import terraform_structure

        try:
            root = terraform_structure(attribute)
        except Exception:  # an expression the structure reader cannot open: nothing to judge
            return
        rule = CONFIG if block.type in ("locals", "variable", "output") else STORE
        fix = (
            "use a variable marked `sensitive = true` or a secrets-manager data source, or have the service read "
            "it from Secrets Manager or SSM at run time"
        )
        for name, text, span in _terraform_leaves(root, attribute.name):
            where = f"{block.address} ({attribute.name})"
            if self.inline(text, span, where):
                continue
            self.named(
                rule,
                name,
                text,
                span,
                lambda kind, shown_value, n=name, w=where: (
                    f"{kind} {shown_value} written literally as {n} in {w}; {fix}"
                ),
            )

    # -- text ----------------------------------------------------------------------

    def text(self, private_keys_only: bool = False) -> None:
        file = self.file
        text = file.text
        if not has_token_prefix(text) and ("://" not in text or private_keys_only):
            return
        for token in find_tokens(text):
            if private_keys_only and token.kind != "private key":
                continue
            secret = file.span_from_offsets(token.start, token.end)
            self.add(
                TOKENS,
                secret,
                secret,
                f"{token.kind} {shown(text[token.start : token.end])} committed in this file; revoke it and "
                "load it at run time from a secret store",
            )
        if private_keys_only:
            return
        for number, line in enumerate(file.lines, 1):
            if "://" in line and "@" in line:
                for found in url_passwords(line):
                    secret = Span(number, found.start + 1, number, found.end + 1)
                    if (secret.line, secret.column) not in self.done:
                        self.add(
                            URLS,
                            secret,
                            secret,
                            f"{found.scheme} URL to {found.host!r} embeds a password "
                            f"({shown(line[found.start : found.end])}); read the password from the environment",
                        )


_NAME_WORDS = ("pass", "pwd", "secret", "token", "key", "cred", "auth", "salt")
# a credential-like word, the rest of the name, then `=`, `:` or `,` and a quote later on the line
_BINDING_LINE = re.compile(
    r"(?:pass|pwd|secret|token|key|cred|auth|salt)[\w.-]*['\"\]]*\s*(?::[^=\n]*)?[:=,](?:[^\n]*['\"]|\s*[(\[{\\]?\s*$)"
    r"|auth\(\s*(?:['\"]|$)|(?:login|bind_s|simple_bind)\([^)\n]*,\s*['\"]",  # HTTPBasicAuth(...), login("u", "pw")
    re.IGNORECASE,
)
_SEARCH_LIMIT = 5000  # occurrences of one word looked at per file


def _python_candidate_lines(file: SourceFile) -> tuple[set[int], set[int]]:
    """The lines worth a look: where a vendor token or a URL with credentials may be
    (``token_lines``), and where a credential-like name meets a string (``name_lines``,
    with the line after each, for values written on the next line). Found with plain
    substring searches, so a file without them costs no tree walk."""
    text = file.text
    starts = file._line_starts
    token_lines = {bisect.bisect_right(starts, offset) for offset in token_offsets(text)}
    if "://" in text and "@" in text:
        at = text.find("://")
        while at >= 0:
            number = bisect.bisect_right(starts, at)
            if "@" in file.line(number):
                token_lines.add(number)
            at = text.find("://", starts[number] if number < len(starts) else len(text))
    lowered = text.lower()
    for needle in ("password=", "pwd="):  # a connection string: host=db user=app password=...
        at = lowered.find(needle)
        while at >= 0 and len(token_lines) < _SEARCH_LIMIT:
            token_lines.add(bisect.bisect_right(starts, at))
            at = lowered.find(needle, at + 1)
    name_lines: set[int] = set()
    seen: set[int] = set()
    for word in _NAME_WORDS:
        at = lowered.find(word)
        count = 0
        while at >= 0 and count < _SEARCH_LIMIT:
            count += 1
            number = bisect.bisect_right(starts, at)
            if number not in seen:
                seen.add(number)
                if _BINDING_LINE.search(file.line(number)):
                    name_lines.update((number, number + 1, number + 2))
            at = lowered.find(word, starts[number] if number < len(starts) else len(lowered))
    return token_lines, name_lines


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _names_itself(name: str, value: str) -> bool:
    """``SECRET_MULTILINE = "SecretMultiline"``: a constant whose value spells its own name
    is a field type or a setting's name, not a credential."""
    return _NOT_ALNUM.sub("", name.lower()) == _NOT_ALNUM.sub("", value.lower())


def _terraform_attributes(file):
    """(top-level block, holding block, attribute) of every attribute of a Terraform file."""
    for attribute in file.attributes.values():
        yield None, None, attribute
    for root in file.blocks:
        for block, attribute in root.walk_attributes():
            yield root, block, attribute


def _terraform_leaves(node, name: str, depth: int = 0):
    """(name, text, span) of the string literals inside a Terraform value: named by their
    object key, or by the `name` of a `{name = "DB_PASSWORD", value = "..."}` pair."""
    if depth > 12:
        return
    if node.kind == "literal":
        if isinstance(node.value, str) and node.value:
            yield name, node.value, node.span
    elif node.kind == "object":
        pair_name = None
        if any(key == "value" for key, _ in node.keys):
            for key in ("name", "key", "type"):
                item = node.get(key)
                if item is not None and item.kind == "literal" and isinstance(item.value, str):
                    pair_name = item.value
                    break
        for (key, _), item in zip(node.keys, node.items, strict=False):
            label = pair_name if key == "value" and pair_name else key
            yield from _terraform_leaves(item, label, depth + 1)
    elif node.kind in ("tuple", "call"):
        for item in node.items:
            yield from _terraform_leaves(item, name, depth + 1)


def _nested_steps(root, block, name: str) -> tuple[str, ...] | None:
    """The block types from ``root`` down to ``block``, then ``name``; ``None`` when not found."""

    def down(current, path):
        if current is block:
            return path
        for child in current.blocks:
            found = down(child, (*path, child.type))
            if found is not None:
                return found
        return None

    found = down(root, ())
    return None if found is None else (*found, name)


def _cloudformation_password(data: object, path: tuple) -> bool:
    """Whether ``path`` in a CloudFormation template's ``data`` is the password property
    of an AWS resource, whose delivery AWS019 judges."""
    if len(path) < 4 or path[0] != "Resources" or path[2] != "Properties" or not isinstance(data, dict):
        return False
    resources = data.get("Resources")
    resource = resources.get(path[1]) if isinstance(resources, dict) else None
    kind = resource.get("Type") if isinstance(resource, dict) else None
    return isinstance(kind, str) and is_delivered_password(kind, tuple(path[3:]))


def _basic_password(credential: str) -> str:
    """The password of a basic-auth credential (base64 of ``user:password``), or the
    credential itself when it is not one."""
    decoded = _decode(credential)
    if decoded is not None and ":" in decoded:
        return decoded.split(":", 1)[1]
    return credential


def _header_message(label: str, value: str) -> str:
    return (
        f"{label} {shown(value)} hardcoded in an Authorization header; read it at run time from the environment "
        "or a secret store"
    )


_SPACES = re.compile(r"\s+")


_EMBEDDED_LIMIT = 1 << 18
_CONFIG_LINE = re.compile(
    r"""^[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(?:=|:[ \t])[ \t]*(?P<q>["']?)"""
    r"""(?P<value>[^\s"'#]+)(?P=q)[ \t]*(?:\#.*)?$""",
    re.MULTILINE,
)
_JSON_LITERAL = re.compile(r"""[bru]?['"][\[]?\{\s*\\?["]""", re.IGNORECASE)  # '{"key": ...}' written in a string


def _json_literal_lines(file: SourceFile) -> set[int]:
    """The lines where a string literal starts with a JSON object (``'{"api_key": ...}'``)."""
    text = file.text
    if "{" not in text:
        return set()
    starts = file._line_starts
    return {bisect.bisect_right(starts, match.start()) for match in _JSON_LITERAL.finditer(text)}


def _decode(value: str) -> str | None:
    try:
        return base64.b64decode(_SPACES.sub("", value), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _python_message(binding, kind: str) -> str:
    value = shown(binding.value)
    env = binding.name.upper() if binding.context != "env-default" else binding.name
    source = f"os.environ[{env!r}]"
    if binding.name == "SECRET_KEY" and binding.context == "assignment":
        return f"Django SECRET_KEY hardcoded ({value}); read it from the environment ({source}) or a secret store"
    if binding.context == "env-default":
        return (
            f"the fallback of {binding.target}({binding.name!r}, ...) is a literal {kind} ({value}): a missing "
            f"variable silently uses a committed credential; read {source} so a missing one fails"
        )
    if binding.context == "env-write":
        return (
            f"{kind} {value} written into environment variable {binding.name} by `{binding.target}`; read it "
            "from the environment or a secret store instead of setting a literal"
        )
    if binding.context == "auth":
        return (
            f"password of a basic-auth pair hardcoded in {binding.target or 'the code'} ({value}); read it from "
            "the environment or a secret store"
        )
    if binding.context == "container":
        return (
            f"{kind} hardcoded in `{binding.target}` ({value}); load the {binding.name} mapping from the "
            "environment or a secret store"
        )
    if binding.context == "keyword":
        where = f"`{binding.name}=` of {binding.target or 'a call'}()"
    elif binding.context == "parameter":
        where = f"the default of parameter `{binding.name}` of {binding.target}()"
    elif binding.context == "dict":
        where = f"dict key {binding.name!r}"
    else:
        where = f"`{binding.target}`"
    return f"{kind} hardcoded in {where} ({value}); read it from the environment ({source}) or a secret store"


def _config_message(kind: FileKind, path: str) -> Callable[[str, str], str]:
    if kind is FileKind.ENV:
        return lambda credential, value: (
            f"{credential} {value} committed in an env file ({path}); keep .env files out of the repository "
            f"(.gitignore) and commit a .env.example with a placeholder"
        )
    return lambda credential, value: (
        f"{credential} {value} hardcoded at {path!r}; reference it from the environment (${{VAR}}) "
        "or a secret store instead"
    )
