"""SEC002: vendor tokens and private keys, wherever they are written."""

from __future__ import annotations

from prodready_lint.sdk import FileKind, Severity
from prodready_lint.sdk.secrets import TOKEN_NEEDLES

from ._common import REFERENCES, SecretsRule


class VendorToken(SecretsRule):
    """A vendor token or private key (AWS, GitHub, GitLab, Slack, Stripe, ...) in a file.

    ## What it does
    Checks every string value of Python code, YAML, Kubernetes and Compose files,
    `.env`, JSON and INI files, Terraform, Dockerfiles, shell scripts and key files
    (`*.pem`, `*.key`, `*.p8`, `id_rsa`; a Kubernetes Secret's base64 `data`, wrapped
    or not, is decoded first) for the
    token formats of
    detect-secrets' plugins: AWS access key ids, GitHub tokens, GitLab tokens, Slack
    tokens and webhooks, Stripe secret and restricted keys, Twilio API keys, SendGrid,
    Mailchimp, OpenAI, PyPI, npm, Square, Discord and Telegram tokens, Azure storage
    keys, JSON Web Tokens and PEM private keys; and for fine-grained GitHub tokens
    (`github_pat_...`) and Google API keys, which detect-secrets does not know. Whatever
    name the value is bound to.

    ## Why is this bad?
    A token format is proof enough: the value grants access to a vendor account.
    Anyone who can read the repository, its history or an image built from it can use
    it until it is revoked.

    ## Example
    ```python
    import boto3

    s3 = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="AKIAIOSFODNN7EXAMPLE")
    ```

    ## Use instead
    ```python
    import boto3

    s3 = boto3.client("s3", region_name="eu-west-1")  # credentials from the instance role
    ```

    ## Notes
    detect-secrets runs only on the strings of a file that a cheap prefilter picks
    (a known token prefix), each bounded to 4096 characters around the hit, so a
    minified bundle or a one-line 5 MB JSON file costs one regular-expression pass; a
    file whose scan takes more than 10 s of CPU stops and says so in an `info` finding. Its
    network verification is never called. Publishable keys (`pk_live_...`) and
    Twilio account SIDs are identifiers, not secrets. Files named as examples
    (`.env.example`, `config.sample.yaml`) and lock files are not scanned. Revoke a
    reported token before removing it: it stays in the history.
    """

    id = "SEC002"
    name = "vendor-token"
    summary = "vendor token or private key committed in a file"
    checklist = ("secrets",)
    severity = Severity.CRITICAL
    kinds = frozenset(
        {
            FileKind.PYTHON,
            FileKind.YAML,
            FileKind.ENV,
            FileKind.JSON,
            FileKind.INI,
            FileKind.TOML,
            FileKind.DOCKERFILE,
            FileKind.TERRAFORM,
            FileKind.SHELL,
            FileKind.PEM,
        }
    )
    triggers = (*TOKEN_NEEDLES, "Secret")  # a Kubernetes Secret's data is base64: decoded, then searched
    references = REFERENCES
