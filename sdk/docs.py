"""Rule documentation: a rule's docstring is its user documentation and its examples.

The docstring follows one shape (as Ruff's rule docs do)::

    One-line summary.

    ## What it does
    ## Why is this bad?
    ## Example          (a fenced code block that the rule must flag)
    ## Use instead      (a fenced code block that the rule must not flag)
    ## Notes / ## Options / ## References   (optional)

The fenced blocks double as tests: the harness runs the rule on them. Each block is
one example file; for rules that need several files (repository rules), give the
blocks of a section a path, ```` ```python title="app/main.py" ````, and they form
one example repository together.
"""

from __future__ import annotations

import inspect
import re

import attrs

__all__ = ["REQUIRED_SECTIONS", "CodeExample", "RuleDocs", "parse_docs"]

REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_FENCE = re.compile(r"^```([\w.+-]*)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r"""title\s*=\s*["']([^"']+)["']""")

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
    "requirements": "requirements.txt",
    "make": "Makefile",
    "makefile": "Makefile",
    "groovy": "Jenkinsfile",
    "jenkinsfile": "Jenkinsfile",
    "text": None,  # any other file: the block must name it with title="path"
}


@attrs.frozen(slots=True)
class CodeExample:
    """A fenced code block from the docs, with the file name it is scanned as."""

    language: str
    filename: str
    code: str


@attrs.frozen(slots=True)
class RuleDocs:
    """Parsed documentation. ``bad`` and ``good`` hold the examples of the ``Example``
    and ``Use instead`` sections, each example a tuple of one or more files."""

    summary: str
    sections: tuple[tuple[str, str], ...]
    bad: tuple[tuple[CodeExample, ...], ...]
    good: tuple[tuple[CodeExample, ...], ...]

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


def _examples(body: str) -> tuple[tuple[CodeExample, ...], ...]:
    files = []
    titled = False
    for match in _FENCE.finditer(body):
        language = (match.group(1) or "python").lower()
        title = _TITLE.search(match.group(2))
        if language not in EXAMPLE_FILENAMES:
            raise ValueError(f"code example language {language!r} is not one of {sorted(EXAMPLE_FILENAMES)}")
        filename = title.group(1) if title else EXAMPLE_FILENAMES[language]
        if filename is None:
            raise ValueError(f'a {language!r} code example needs a file name: ```{language} title="path"')
        titled = titled or bool(title)
        files.append(CodeExample(language, filename, match.group(3)))
    if titled:
        return (tuple(files),) if files else ()
    return tuple((example,) for example in files)


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
