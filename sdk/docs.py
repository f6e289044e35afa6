"""Rule documentation: a rule's docstring is its user documentation and its examples.

The docstring follows one shape (as Ruff's rule docs do)::

    One-line summary.

    ## What it does
    ## Why is this bad?
    ## Example          (a fenced code block that the rule must flag)
    ## Use instead      (a fenced code block that the rule must not flag)
    ## Notes / ## Options / ## References   (optional)

The fenced blocks double as tests: the harness runs the rule on them.
"""

from __future__ import annotations

import inspect
import re

import attrs

__all__ = ["REQUIRED_SECTIONS", "CodeExample", "RuleDocs", "parse_docs"]

REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_FENCE = re.compile(r"^```([\w.+-]*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)

# Fence language -> the file name the example is scanned as.
EXAMPLE_FILENAMES = {
    "python": "example.py",
    "py": "example.py",
    "yaml": "example.yaml",
    "yml": "example.yaml",
    "dockerfile": "Dockerfile",
    "terraform": "main.tf",
    "hcl": "main.tf",
    "sql": "migration.sql",
    "json": "example.json",
    "toml": "example.toml",
    "dotenv": ".env",
    "ini": "example.ini",
    "shell": "example.sh",
    "bash": "example.sh",
}


@attrs.frozen(slots=True)
class CodeExample:
    """A fenced code block from the docs, with the file name it is scanned as."""

    language: str
    filename: str
    code: str


@attrs.frozen(slots=True)
class RuleDocs:
    summary: str
    sections: tuple[tuple[str, str], ...]
    bad: tuple[CodeExample, ...]
    good: tuple[CodeExample, ...]

    def section(self, title: str) -> str | None:
        for name, body in self.sections:
            if name.lower() == title.lower():
                return body
        return None

    def markdown(self) -> str:
        """The documentation as Markdown, for ``prodready-lint rule ID``, SARIF help and reports."""
        parts = [self.summary, ""] if self.summary else []
        for name, body in self.sections:
            parts += [f"## {name}", body.strip(), ""]
        return "\n".join(parts).strip() + "\n"


def _examples(body: str) -> tuple[CodeExample, ...]:
    out = []
    for match in _FENCE.finditer(body):
        language = (match.group(1) or "python").lower()
        filename = EXAMPLE_FILENAMES.get(language)
        if filename is None:
            raise ValueError(f"code example language {language!r} is not one of {sorted(EXAMPLE_FILENAMES)}")
        out.append(CodeExample(language, filename, match.group(2)))
    return tuple(out)


def parse_docs(docstring: str | None) -> RuleDocs:
    """Split a rule docstring into summary, sections and code examples.

    Raises ``ValueError`` naming what is missing, so a malformed rule fails when its
    pack is loaded, not when a user asks for its docs.
    """
    text = inspect.cleandoc(docstring or "")
    if not text:
        raise ValueError("the rule has no docstring; its docstring is its documentation")
    headings = list(_HEADING.finditer(text))
    summary = text[: headings[0].start()].strip() if headings else text.strip()
    sections = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        sections.append((heading.group(1), text[heading.end() : end].strip("\n")))
    names = [name.lower() for name, _ in sections]
    missing = [name for name in REQUIRED_SECTIONS if name.lower() not in names]
    if missing:
        raise ValueError("the docstring lacks the section(s) " + ", ".join(f"'## {m}'" for m in missing))
    docs = RuleDocs(summary, tuple(sections), (), ())
    bad = _examples(docs.section("Example") or "")
    good = _examples(docs.section("Use instead") or "")
    if not bad:
        raise ValueError("'## Example' needs a fenced code block showing code the rule flags")
    if not good:
        raise ValueError("'## Use instead' needs a fenced code block showing the fixed code")
    return attrs.evolve(docs, bad=bad, good=good)
