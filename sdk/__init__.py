"""The prodready-lint rule SDK: the one API built-in and third-party rules are written against.

Import it as ``prodready_lint.sdk``::

    from prodready_lint.sdk import Rule, Severity, FileKind, PythonFile, Context

A rule is a :class:`Rule` subclass with metadata and a ``check(file, ctx)`` method; a
pack is a :class:`RulePack` exposed through the ``prodready_lint.rules`` entry-point
group. :mod:`prodready_lint.sdk.python` holds the Python facts rules read and
:mod:`prodready_lint.sdk.testing` the fixture harness for rule authors.
"""

from .checklist import CHECKLIST, TIERS, ChecklistItem
from .docs import CodeExample, RuleDocs
from .dockerfile import (
    ArgInstruction,
    DockerfileFile,
    EnvInstruction,
    ExposeInstruction,
    Flag,
    FromInstruction,
    HealthcheckInstruction,
    Heredoc,
    Instruction,
    KeyValue,
    KeyValueInstruction,
    LabelInstruction,
    OnbuildInstruction,
    Stage,
    UserInstruction,
)
from .errors import LoadError, SkipFile
from .image_ref import ImageRef
from .files import PythonFacts, PythonFile, SourceFile, TextFile, YamlFile
from .kinds import KINDS, KindSpec, classify, load
from .model import Confidence, FileKind, Finding, Location, Severity, Span, Suppression
from .options import Option
from .python import (
    MISSING,
    NOT_LITERAL,
    Attribute,
    BinOp,
    Call,
    CallResult,
    Const,
    FString,
    FunctionDef,
    MappingValue,
    Missing,
    Name,
    Origin,
    SequenceValue,
    Unknown,
    Value,
    literal,
    string_fragments,
)
from .redact import redact
from .rule import (
    Context,
    FileInfo,
    RepoContext,
    Report,
    RepoRule,
    Repository,
    Rule,
    RuleDefinitionError,
    RuleMetadata,
    RulePack,
)

__all__ = [
    "CHECKLIST",
    "KINDS",
    "MISSING",
    "NOT_LITERAL",
    "TIERS",
    "ArgInstruction",
    "Attribute",
    "BinOp",
    "Call",
    "CallResult",
    "ChecklistItem",
    "CodeExample",
    "Confidence",
    "Const",
    "Context",
    "DockerfileFile",
    "EnvInstruction",
    "ExposeInstruction",
    "FString",
    "FileInfo",
    "FileKind",
    "Finding",
    "Flag",
    "FromInstruction",
    "FunctionDef",
    "HealthcheckInstruction",
    "Heredoc",
    "ImageRef",
    "Instruction",
    "KeyValue",
    "KeyValueInstruction",
    "KindSpec",
    "LabelInstruction",
    "LoadError",
    "Location",
    "MappingValue",
    "Missing",
    "Name",
    "OnbuildInstruction",
    "Option",
    "Origin",
    "PythonFacts",
    "PythonFile",
    "RepoContext",
    "RepoRule",
    "Report",
    "Repository",
    "Rule",
    "RuleDefinitionError",
    "RuleDocs",
    "RuleMetadata",
    "RulePack",
    "SequenceValue",
    "Severity",
    "SkipFile",
    "SourceFile",
    "Span",
    "Stage",
    "Suppression",
    "TextFile",
    "Unknown",
    "UserInstruction",
    "Value",
    "YamlFile",
    "classify",
    "literal",
    "load",
    "redact",
    "string_fragments",
]
