"""APP002: TLS certificate verification switched off."""

from __future__ import annotations

from prodready_lint.sdk import NOT_LITERAL, Attribute, Context, PythonFile, Rule, Severity, literal

from ._common import is_false, not_served

# Keyword arguments that turn certificate verification off when False.
_VERIFY_KEYWORDS = ("verify", "verify_ssl", "verify_certs", "ssl_verify", "validate_certs", "tls_verify")
# Calls whose verify=False is about something else (token signatures).
_OTHER_VERIFY = ("jwt.", "jose.", "authlib.")
_UNVERIFIED = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})


def _is_cert_none(value: object) -> bool:
    if isinstance(value, Attribute) and value.qualname in ("ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"):
        return True
    python = literal(value)
    return python is not NOT_LITERAL and isinstance(python, str) and python.lower() in ("cert_none", "none")


class TlsVerificationDisabled(Rule):
    """TLS certificate verification is switched off.

    ## What it does
    Checks for HTTPS and TLS clients told not to verify the server: `verify=False` on
    requests, httpx and any client taking that keyword (`verify_ssl=False`,
    `verify_certs=False` for Elasticsearch/OpenSearch, `ssl_verify=False`), aiohttp's
    `ssl=False`, `cert_reqs=ssl.CERT_NONE` / `ssl_cert_reqs="none"` (urllib3, redis),
    `session.verify = False`, `context.verify_mode = ssl.CERT_NONE`,
    `context.check_hostname = False`, and `ssl._create_unverified_context()`.

    ## Why is this bad?
    Without verification anyone on the network path can present their own certificate,
    read the traffic (credentials, tokens, personal data) and change it.

    ## Example
    ```python
    import requests

    resp = requests.get("https://billing.internal/api/invoices", verify=False, timeout=5)
    ```

    ## Use instead
    ```python
    import requests

    resp = requests.get("https://billing.internal/api/invoices", verify="/etc/ssl/internal-ca.pem", timeout=5)
    ```

    ## Notes
    `verify=False` on JWT libraries (PyJWT, python-jose) is about token signatures, not
    TLS, and is not flagged here. A value read from settings is not a literal and is not
    flagged. Tests, documentation and examples are not checked.
    """

    id = "APP002"
    name = "tls-verification-disabled"
    summary = "TLS certificate verification switched off"
    checklist = ("tls",)
    severity = Severity.HIGH
    cwe = (295,)
    triggers = ("verify", "ssl", "CERT_NONE", "check_hostname", "cert_reqs")
    references = ("https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        if not_served(file.path):
            return
        for call in file.calls:
            names = call.qualnames
            if any(n in _UNVERIFIED for n in names):
                ctx.report(
                    call, f"{call.callee}() makes a TLS context that verifies nothing; use ssl.create_default_context()"
                )
                continue
            if any(n.startswith(_OTHER_VERIFY) for n in names):
                continue
            for keyword, value in call.keywords:
                if keyword in _VERIFY_KEYWORDS and is_false(value):
                    ctx.report(
                        call,
                        f"{call.callee}({keyword}=False) accepts any certificate: traffic can be read and changed; "
                        "pass the CA bundle instead",
                    )
                elif keyword == "ssl" and literal(value) is False and _aiohttp(call):
                    ctx.report(
                        call, f"{call.callee}(ssl=False) accepts any certificate; pass an ssl.SSLContext with the CA"
                    )
                elif keyword in ("cert_reqs", "ssl_cert_reqs") and _is_cert_none(value):
                    ctx.report(call, f"{call.callee}({keyword}=CERT_NONE) accepts any certificate")
        for assignment in file.assignments:
            target = assignment.target
            if target.kind != "attribute":
                continue
            if target.name == "verify" and literal(assignment.value) is False:
                ctx.report(assignment.span, f"{target.text} = False accepts any certificate for every request")
            elif target.name == "verify_mode" and _is_cert_none(assignment.value):
                ctx.report(assignment.span, f"{target.text} = CERT_NONE accepts any certificate")
            elif target.name == "check_hostname" and literal(assignment.value) is False:
                ctx.report(assignment.span, f"{target.text} = False accepts a valid certificate for any host")
            elif target.name == "_create_default_https_context" and target.base == "ssl":
                ctx.report(
                    assignment.span, "replacing ssl._create_default_https_context turns verification off process-wide"
                )


def _aiohttp(call) -> bool:
    names = (*call.qualnames, *(call.receiver.qualnames if call.receiver else ()))
    return any(n.startswith("aiohttp") for n in names)
