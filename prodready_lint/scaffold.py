"""``prodready-lint new-rule``: scaffold a rule into a new or an existing pack.

A new pack is a directory holding an installable project: ``pyproject.toml`` with the
``prodready_lint.rules`` entry point, a package whose ``PACK`` lists the rules, tests run
with the SDK's harness and annotated fixtures. Adding a rule writes its module (or
Semgrep YAML file), its fixture, and two lines in the package's ``__init__.py`` at the
``# new-rule:`` markers; an ``__init__.py`` without them is left alone and the lines to
add are printed.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from prodready_lint import scaffold_templates as templates
from prodready_lint.registry import ENTRY_POINT_GROUP
from prodready_lint.sdk.versioning import API_VERSION

__all__ = ["new_rule"]

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_ID = re.compile(r"^([A-Z][A-Z0-9]*?)([0-9]{2,4})$")
_DECLARED_ID = re.compile(r"""(?m)^\s*(?:id\s*=\s*["']|-?\s*id:\s*)([A-Z][A-Z0-9]{1,9}[0-9]{2,4})\b""")
_RULE_TEMPLATES = {
    "python": (templates.PYTHON_RULE, templates.PYTHON_FIXTURE, ".py"),
    "dockerfile": (templates.DOCKERFILE_RULE, templates.DOCKERFILE_FIXTURE, "Dockerfile"),
    "terraform": (templates.TERRAFORM_RULE, templates.TERRAFORM_FIXTURE, ".tf"),
    "sql": (templates.SQL_RULE, templates.SQL_FIXTURE, ".sql"),
    "repo": (templates.REPO_RULE, templates.REPO_FIXTURE, ""),
    "yaml": (templates.SEMGREP_RULE, templates.PYTHON_FIXTURE, ".py"),
}


class ScaffoldError(Exception):
    """What stops the scaffold, said so the author can fix it."""


def _say(message: str) -> None:
    print(f"prodready-lint: {message}", file=sys.stderr)


def _package_of(pack: Path) -> Path:
    """The package directory of an existing pack, from its entry point."""
    with open(pack / "pyproject.toml", "rb") as handle:
        project = tomllib.load(handle).get("project", {})
    group = project.get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    if not group:
        raise ScaffoldError(f'{pack / "pyproject.toml"} declares no [project.entry-points."{ENTRY_POINT_GROUP}"]')
    module = next(iter(group.values())).partition(":")[0].strip()
    for base in (pack, pack / "src"):
        candidate = base.joinpath(*module.split("."))
        if (candidate / "__init__.py").is_file():
            return candidate
    raise ScaffoldError(f"the entry point names {module!r}, which is no package directory in {pack}")


def _new_pack(pack: Path, prefix: str | None) -> Path:
    base = re.sub(r"[^a-z0-9]+", "-", pack.resolve().name.lower()).strip("-") or "rules"
    if not base[0].isalpha():
        base = f"rules-{base}"
    module = base.replace("-", "_")
    name = base.removesuffix("-rules").removesuffix("-prodready") or base
    values = {"dist": base, "module": module, "pack": name, "api": API_VERSION}
    package = pack / module
    package.mkdir(parents=True, exist_ok=True)
    (pack / "tests" / "fixtures").mkdir(parents=True, exist_ok=True)
    (pack / "pyproject.toml").write_text(templates.PYPROJECT.format(**values), encoding="utf-8")
    (pack / "README.md").write_text(templates.README.format(**values), encoding="utf-8")
    (package / "__init__.py").write_text(templates.INIT.format(**values), encoding="utf-8")
    (pack / "tests" / f"test_{module}.py").write_text(templates.TESTS.format(**values), encoding="utf-8")
    _say(f"created the pack {name!r} in {pack} (vendor prefix {_prefix(name, prefix)})")
    return package


def _prefix(pack_name: str, given: str | None) -> str:
    if given:
        if not re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", given):
            raise ScaffoldError(f"--prefix {given!r} must be 2-8 capitals or digits, like ACME")
        return given
    letters = re.sub(r"[^A-Za-z]", "", pack_name.split("-")[0]).upper()
    return (letters or "RULE")[:6].ljust(2, "X")


def _declared_ids(pack: Path) -> list[str]:
    ids = []
    for path in pack.rglob("*"):
        if path.suffix in (".py", ".yaml", ".yml") and "tests" not in path.relative_to(pack).parts:
            ids += _DECLARED_ID.findall(path.read_text(encoding="utf-8", errors="replace"))
    return ids


def _next_id(pack: Path, pack_name: str, prefix: str | None) -> str:
    numbers: dict[str, list[int]] = {}
    widths: dict[str, int] = {}
    for rule_id in _declared_ids(pack):
        match = _ID.match(rule_id)
        if match:
            numbers.setdefault(match.group(1), []).append(int(match.group(2)))
            widths[match.group(1)] = len(match.group(2))
    chosen = prefix or (max(numbers, key=lambda p: len(numbers[p])) if numbers else _prefix(pack_name, None))
    used = numbers.get(chosen, [])
    width = widths.get(chosen, 3)
    return f"{chosen}{(max(used) + 1 if used else 1):0{width}d}"


def _register(init: Path, import_line: str, entry: str) -> bool:
    text = init.read_text(encoding="utf-8")
    if "# new-rule: imports" not in text or "# new-rule: rules" not in text:
        return False
    if import_line:
        text = text.replace("# new-rule: imports", f"{import_line}\n# new-rule: imports", 1)
    text = re.sub(r"(?m)^(\s*)# new-rule: rules", lambda m: f"{m.group(1)}{entry}\n{m.group(0)}", text, count=1)
    init.write_text(text, encoding="utf-8")
    return True


def _write_fixture(tests: Path, name: str, kind: str, template: object, suffix: str, values: dict) -> Path:
    fixtures = tests / "fixtures"
    if isinstance(template, dict):  # a small repository
        target = fixtures / name
        for relpath, text in template.items():
            (target / relpath).parent.mkdir(parents=True, exist_ok=True)
            (target / relpath).write_text(text.format(**values), encoding="utf-8")
        return target
    if suffix == "Dockerfile":
        target = fixtures / name / "Dockerfile"
    else:
        target = fixtures / f"{name.replace('-', '_')}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(str(template).format(**values), encoding="utf-8")
    return target


def _scaffold(name: str, kind: str, pack_dir: str, rule_id: str | None, prefix: str | None) -> None:
    if not _NAME.match(name):
        raise ScaffoldError(f"rule name {name!r} must be kebab-case, like celery-task-time-limit")
    pack = Path(pack_dir)
    pack.mkdir(parents=True, exist_ok=True)
    package = _package_of(pack) if (pack / "pyproject.toml").is_file() else _new_pack(pack, prefix)
    pack_name = package.name.removesuffix("_rules").replace("_", "-")
    if rule_id is None:
        rule_id = _next_id(pack, pack_name, prefix)
    elif not re.fullmatch(r"[A-Z][A-Z0-9]{1,9}[0-9]{2,4}", rule_id):
        raise ScaffoldError(f"--id {rule_id!r} must be capitals then 2-4 digits, like ACME001")
    if rule_id in _declared_ids(pack):
        raise ScaffoldError(f"the pack already has a rule {rule_id}")
    module = name.replace("-", "_")
    cls = "".join(part.capitalize() for part in name.split("-"))
    values = {"id": rule_id, "name": name, "cls": cls}
    rule_template, fixture_template, suffix = _RULE_TEMPLATES[kind]
    if kind == "yaml":
        rule_file = package / f"{module}.yaml"
        import_line, entry = "", f'*semgrep_rules(HERE / "{module}.yaml"),'
    else:
        rule_file = package / f"{module}.py"
        import_line, entry = f"from .{module} import {cls}", f"{cls},"
    if rule_file.exists():
        raise ScaffoldError(f"{rule_file} already exists")
    rule_file.write_text(rule_template.format(**values), encoding="utf-8")
    fixture = _write_fixture(pack / "tests", name, kind, fixture_template, suffix, values)
    written = [rule_file, fixture]
    if kind == "yaml":
        semgrep_test = pack / "tests" / "semgrep" / f"{module}.py"
        semgrep_test.parent.mkdir(parents=True, exist_ok=True)
        semgrep_test.write_text(templates.SEMGREP_TEST.format(**values), encoding="utf-8")
        written.append(semgrep_test)
    init = package / "__init__.py"
    if not _register(init, import_line, entry):
        lines = "\n".join(line for line in (import_line, f"and add to the rules: {entry}") if line)
        _say(f"{init} has no '# new-rule:' markers; add the rule by hand:\n{lines}")
    for path in written:
        print(f"wrote {path}")
    print(f"{rule_id} {name}: edit the rule and its fixture, then run: prodready-lint test-rules {pack_dir}")


def new_rule(name: str, kind: str, pack_dir: str, *, rule_id: str | None = None, prefix: str | None = None) -> int:
    """The ``new-rule`` command; 0 on success, 2 when nothing could be written."""
    try:
        _scaffold(name, kind, pack_dir, rule_id, prefix)
    except (ScaffoldError, OSError, tomllib.TOMLDecodeError) as error:
        _say(f"new-rule: {error}")
        return 2
    return 0
