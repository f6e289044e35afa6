"""What the rules of the secrets family share: metadata and the reporting of candidates."""

from __future__ import annotations

from prodready_lint.sdk import Confidence, Context, Option, Rule, Severity, SourceFile

from ._analysis import analyze

CWE = (798,)
REFERENCES = (
    "https://cwe.mitre.org/data/definitions/798.html",
    "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
)
TEST_SEVERITY = Option(
    "test-severity",
    "str",
    "low",
    "Severity of findings in test directories and test modules (tests/, test_*.py, conftest.py...), "
    "where fixture credentials are expected: info, low, medium, high or critical.",
)


class SecretsRule(Rule):
    """Base of the family's rules: reports the candidates :func:`analyze` assigns to the rule."""

    confidence = Confidence.HIGH
    cwe = CWE
    options = (TEST_SEVERITY,)

    def check(self, file: SourceFile, ctx: Context) -> None:
        rule_id = self.meta.id
        for candidate in analyze(file):
            if candidate.rule != rule_id:
                continue
            severity = None
            if candidate.note:
                severity = Severity.INFO
            elif candidate.test:
                try:
                    severity = Severity(str(self.settings["test-severity"]).lower())
                except ValueError:
                    severity = Severity.LOW
            ctx.report(candidate.at, candidate.message, severity=severity, secrets=(candidate.secret,))
