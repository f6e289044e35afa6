"""AWS011-AWS015: S3 buckets: versioning, encryption, public access block, public ACLs and
public bucket policies, whether configured inside the bucket or by separate resources."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import (
    CfnMapping,
    ModuleIndex,
    Severity,
    Span,
    TerraformAttribute,
    TerraformBlock,
    TerraformExpression,
    terraform_structure,
)

from . import _policy
from ._base import AwsRule, CloudFormationSide, TerraformSide
from ._buckets import Buckets

S3_DOCS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"


class _BucketRule(AwsRule):
    """A bucket judged together with the resources of its module that configure it."""

    config_types: tuple[str, ...] = ()
    local_references = ("aws_s3_bucket.",)  # a configuration may name its bucket through a local

    def check_module(self, index: ModuleIndex, side: TerraformSide) -> None:
        buckets = Buckets(index)
        for bucket in buckets.buckets():
            self.check_bucket(bucket, buckets, side)
        for config_type in self.config_types:
            for config in index.resources(config_type):
                self.check_config(config, side)

    def check_bucket(self, bucket: TerraformBlock, buckets: Buckets, side: TerraformSide) -> None:
        """Judge one bucket."""

    def check_config(self, config: TerraformBlock, side: TerraformSide) -> None:
        """Judge one configuration resource on its own (a suspended versioning)."""

    def configured(self, bucket: TerraformBlock, buckets: Buckets, type: str) -> bool | None:
        """True when a ``type`` resource configures the bucket, None when one may (it names
        a bucket this module index cannot follow), False when none does."""
        if buckets.configs(bucket, type):
            return True
        return None if buckets.unattached(bucket, type) else False


class S3BucketVersioningDisabled(_BucketRule):
    """An S3 bucket without versioning.

    ## What it does
    Checks each `aws_s3_bucket` for versioning: an `aws_s3_bucket_versioning` resource of
    its module that refers to it (by `aws_s3_bucket.x.id`, through a local, a `for_each`
    over the buckets, or the same bucket name), or the provider v3 `versioning` block,
    and reports a bucket with neither, and versioning written as `Suspended`, `Disabled`
    or `enabled = false`. In CloudFormation, `AWS::S3::Bucket` needs
    `VersioningConfiguration: {Status: Enabled}`.

    ## Why is this bad?
    Without versioning, an overwritten or deleted object is gone: a buggy job, a
    compromised key or a mistaken `aws s3 rm --recursive` cannot be undone. Versioning
    keeps every version, and with a lifecycle rule for noncurrent versions the cost stays
    bounded.

    ## Example
    ```terraform
    resource "aws_s3_bucket" "invoices" {
      bucket = "acme-invoices"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_s3_bucket" "invoices" {
      bucket = "acme-invoices"
    }

    resource "aws_s3_bucket_versioning" "invoices" {
      bucket = aws_s3_bucket.invoices.id
      versioning_configuration {
        status = "Enabled"
      }
    }
    ```

    ## Notes
    A bucket with Object Lock (`object_lock_enabled = true`) is versioned by AWS. When an
    `aws_s3_bucket_versioning` of the module names its bucket through something that
    cannot be followed (a variable, a module output), its buckets are not reported.
    """

    id = "AWS011"
    name = "s3-bucket-versioning-disabled"
    summary = "S3 bucket without versioning"
    checklist = ("backups",)
    severity = Severity.MEDIUM
    cwe = (693,)
    references = (f"{S3_DOCS}Versioning.html",)
    terraform_types = ("aws_s3_bucket",)
    terraform_attributes = {
        "aws_s3_bucket": ("bucket", "versioning", "object_lock_enabled", "object_lock_configuration"),
        "aws_s3_bucket_versioning": ("bucket", "for_each", "versioning_configuration"),
    }
    terraform_context = ("aws_s3_bucket_versioning",)
    config_types = ("aws_s3_bucket_versioning",)
    cloudformation_types = ("AWS::S3::Bucket",)

    def check_bucket(self, bucket: TerraformBlock, buckets: Buckets, side: TerraformSide) -> None:
        if side.setting(bucket, "object_lock_enabled").as_bool() is True or bucket.has("object_lock_configuration"):
            return
        inline = bucket.nested("versioning")
        if inline:
            setting = side.setting(bucket, "versioning.enabled")
            if not setting.present:
                side.report(
                    bucket,
                    inline[0].header_span,
                    f"S3 bucket {side.label(bucket)} has a versioning block without enabled = true: versioning is "
                    "off; set enabled = true",
                )
            elif setting.as_bool() is False:
                side.report(
                    bucket,
                    setting,
                    f"S3 bucket {side.label(bucket)} sets {setting.shown}: overwritten and deleted objects cannot "
                    "be recovered; enable versioning",
                )
            return
        if self.configured(bucket, buckets, "aws_s3_bucket_versioning") is False:
            side.report(
                bucket,
                bucket.header_span,
                f"S3 bucket {side.label(bucket)} has no versioning: overwritten and deleted objects cannot be "
                f'recovered; add an aws_s3_bucket_versioning with status = "Enabled" for {side.label(bucket)}',
            )

    def check_config(self, config: TerraformBlock, side: TerraformSide) -> None:
        status = side.setting(config, "versioning_configuration.status")
        value = status.as_str()
        if value is not None and value.lower() in ("suspended", "disabled"):
            side.report(
                config,
                status,
                f"{side.label(config)} sets {status.shown}: new versions are not kept, so overwritten and deleted "
                'objects cannot be recovered; set status = "Enabled"',
            )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if str(side.template.resolve(resource.get("ObjectLockEnabled")).value).lower() == "true":
            return
        status = side.setting(resource, "VersioningConfiguration.Status")
        if not status.present:
            side.report(
                resource,
                status,
                f"S3 bucket {side.label(resource)} has no versioning: overwritten and deleted objects cannot be "
                "recovered; set VersioningConfiguration: {Status: Enabled}",
            )
        elif (status.as_str() or "").lower() in ("suspended", "disabled"):
            side.report(
                resource,
                status,
                f"S3 bucket {side.label(resource)} sets {status.shown}: overwritten and deleted objects cannot be "
                "recovered; set Status: Enabled",
            )


class S3BucketUnencrypted(_BucketRule):
    """An S3 bucket with no server-side encryption configuration.

    ## What it does
    Checks each `aws_s3_bucket` for an `aws_s3_bucket_server_side_encryption_configuration`
    of its module that refers to it, or the provider v3
    `server_side_encryption_configuration` block; in CloudFormation, `AWS::S3::Bucket`
    for `BucketEncryption`.

    ## Why is this bad?
    Since January 2023 S3 encrypts new objects with an S3 managed key when nothing else is
    said, but that key cannot be restricted, audited per use or revoked, and a bucket
    created earlier may hold unencrypted objects. Declaring the encryption, with a KMS
    key where the data is sensitive, makes the choice visible, reviewable and enforced.

    ## Example
    ```terraform
    resource "aws_s3_bucket" "exports" {
      bucket = "acme-exports"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_s3_bucket" "exports" {
      bucket = "acme-exports"
    }

    resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
      bucket = aws_s3_bucket.exports.id
      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm     = "aws:kms"
          kms_master_key_id = aws_kms_key.exports.arn
        }
      }
    }
    ```
    """

    id = "AWS012"
    name = "s3-bucket-unencrypted"
    summary = "S3 bucket without a server-side encryption configuration"
    checklist = ("encryption",)
    severity = Severity.LOW
    cwe = (311,)
    references = (f"{S3_DOCS}serv-side-encryption.html",)
    terraform_types = ("aws_s3_bucket",)
    terraform_attributes = {
        "aws_s3_bucket": ("bucket", "server_side_encryption_configuration", "dynamic"),
        "aws_s3_bucket_server_side_encryption_configuration": ("bucket", "for_each"),
    }
    terraform_context = ("aws_s3_bucket_server_side_encryption_configuration",)
    cloudformation_types = ("AWS::S3::Bucket",)
    _CONFIG = "aws_s3_bucket_server_side_encryption_configuration"

    def check_bucket(self, bucket: TerraformBlock, buckets: Buckets, side: TerraformSide) -> None:
        if bucket.nested("server_side_encryption_configuration", dynamic=True):
            return
        if bucket.nested("dynamic"):
            return
        if self.configured(bucket, buckets, self._CONFIG) is False:
            side.report(
                bucket,
                bucket.header_span,
                f"S3 bucket {side.label(bucket)} declares no server-side encryption: objects get S3's default key "
                f"at best; add an {self._CONFIG} (aws:kms with your key for sensitive data)",
            )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if not resource.has("BucketEncryption"):
            side.report(
                resource,
                resource.id_span,
                f"S3 bucket {side.label(resource)} declares no BucketEncryption: objects get S3's default key at "
                "best; set BucketEncryption with a ServerSideEncryptionConfiguration (aws:kms for sensitive data)",
            )


_BLOCK_SETTINGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
_CFN_BLOCK_SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


class S3BucketPublicAccessBlockMissing(_BucketRule):
    """An S3 bucket without a complete public access block.

    ## What it does
    Checks each `aws_s3_bucket` for an `aws_s3_bucket_public_access_block` of its module
    that refers to it, and every public access block (also the account-wide
    `aws_s3_account_public_access_block`) for its four settings: `block_public_acls`,
    `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets`, each
    `false` when absent. In CloudFormation, `AWS::S3::Bucket` needs a
    `PublicAccessBlockConfiguration` with all four true.

    ## Why is this bad?
    The public access block is the guard that holds when someone later adds a public ACL or
    a policy with `"Principal": "*"`: without it, one such change publishes the bucket. AWS
    turns it on for buckets created since April 2023, but not for older buckets, and a
    console click removes it; declaring it keeps it in place.

    ## Example
    ```terraform
    resource "aws_s3_bucket" "uploads" {
      bucket = "acme-uploads"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_s3_bucket" "uploads" {
      bucket = "acme-uploads"
    }

    resource "aws_s3_bucket_public_access_block" "uploads" {
      bucket                  = aws_s3_bucket.uploads.id
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }
    ```

    ## Notes
    An `aws_s3_account_public_access_block` anywhere in the repository covers every bucket
    of the account, so buckets are then not reported for lacking their own.
    """

    id = "AWS013"
    name = "s3-bucket-public-access-block-missing"
    summary = "S3 bucket without a complete public access block"
    checklist = ("network-exposure",)
    severity = Severity.MEDIUM
    cwe = (732,)
    references = (f"{S3_DOCS}access-control-block-public-access.html",)
    terraform_types = ("aws_s3_bucket",)
    terraform_attributes = {
        "aws_s3_bucket": ("bucket",),
        "aws_s3_bucket_public_access_block": ("bucket", "for_each", *_BLOCK_SETTINGS),
        "aws_s3_account_public_access_block": _BLOCK_SETTINGS,
    }
    terraform_context = ("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block")
    config_types = ("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block")
    cloudformation_types = ("AWS::S3::Bucket",)

    def check_module(self, index: ModuleIndex, side: TerraformSide) -> None:
        self._account_wide = any(
            all(
                side.setting(block, name).present and side.setting(block, name).as_bool() is not False
                for name in _BLOCK_SETTINGS
            )
            for block in index.resources("aws_s3_account_public_access_block")
        )
        super().check_module(index, side)

    def check_bucket(self, bucket: TerraformBlock, buckets: Buckets, side: TerraformSide) -> None:
        if self._account_wide:
            return
        if self.configured(bucket, buckets, "aws_s3_bucket_public_access_block") is False:
            side.report(
                bucket,
                bucket.header_span,
                f"S3 bucket {side.label(bucket)} has no public access block: a public ACL or bucket policy added "
                "later takes effect; add an aws_s3_bucket_public_access_block with all four settings true",
            )

    def check_config(self, config: TerraformBlock, side: TerraformSide) -> None:
        subject = "the account's buckets" if config.labels[0] == "aws_s3_account_public_access_block" else "the bucket"
        missing = []
        for name in _BLOCK_SETTINGS:
            setting = side.setting(config, name)
            if setting.as_bool() is False:
                side.report(
                    config,
                    setting,
                    f"{side.label(config)} sets {setting.shown}: that path to making {subject} public stays open; "
                    f"set {name} = true",
                )
                return
            if not setting.present:
                missing.append(name)
        if missing:
            side.report(
                config,
                config.header_span,
                f"{side.label(config)} leaves {', '.join(missing)} unset (false): those paths to making {subject} "
                "public stay open; set all four settings to true",
            )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        block = resource.field("PublicAccessBlockConfiguration")
        label = side.label(resource)
        if block is None:
            side.report(
                resource,
                resource.id_span,
                f"S3 bucket {label} has no PublicAccessBlockConfiguration: a public ACL or bucket policy added later "
                "takes effect; set all four of its settings to true",
            )
            return
        if not isinstance(block.value, CfnMapping):
            return
        missing = []
        for name in _CFN_BLOCK_SETTINGS:
            setting = side.setting(resource, f"PublicAccessBlockConfiguration.{name}")
            if setting.as_bool() is False:
                side.report(
                    resource,
                    setting,
                    f"S3 bucket {label} sets {setting.shown}: that path to making the bucket public stays open; "
                    f"set {name}: true",
                )
                return
            if not setting.present:
                missing.append(name)
        if missing:
            side.report(
                resource,
                block.key_span,
                f"S3 bucket {label} leaves {', '.join(missing)} unset (false) in its PublicAccessBlockConfiguration: "
                "those paths to making the bucket public stay open; set all four to true",
            )


_PUBLIC_ACLS = {"public-read", "public-read-write", "authenticated-read"}
_CFN_PUBLIC_ACLS = {"publicread", "publicreadwrite", "authenticatedread"}
_PUBLIC_GROUPS = ("acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers")


class S3BucketPublicAcl(AwsRule):
    """An S3 bucket ACL that grants access to everyone.

    ## What it does
    Checks `acl` on `aws_s3_bucket` and `aws_s3_bucket_acl` for `public-read`,
    `public-read-write` and `authenticated-read` (any AWS account), grants to the
    `AllUsers` and `AuthenticatedUsers` groups, and `AccessControl` on `AWS::S3::Bucket`
    for `PublicRead`, `PublicReadWrite` and `AuthenticatedRead`.

    ## Why is this bad?
    A public ACL lets anyone list or download (or, with write, replace) the bucket's
    objects. Leaked data from misconfigured buckets is among the most common cloud
    incidents; a public access block with `ignore_public_acls` neutralises it only while
    that block stays in place.

    ## Example
    ```terraform
    resource "aws_s3_bucket_acl" "reports" {
      bucket = aws_s3_bucket.reports.id
      acl    = "public-read"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_s3_bucket_acl" "reports" {
      bucket = aws_s3_bucket.reports.id
      acl    = "private"
    }
    ```

    ## Notes
    To serve public files, put CloudFront with origin access control in front of a
    private bucket.
    """

    id = "AWS014"
    name = "s3-bucket-public-acl"
    summary = "S3 bucket ACL open to everyone"
    checklist = ("network-exposure",)
    severity = Severity.HIGH
    cwe = (732,)
    references = (f"{S3_DOCS}acl-overview.html#canned-acl",)
    terraform_types = ("aws_s3_bucket", "aws_s3_bucket_acl")
    terraform_attributes = {
        "aws_s3_bucket": ("acl", "grant"),
        "aws_s3_bucket_acl": ("acl", "access_control_policy"),
    }
    cloudformation_types = ("AWS::S3::Bucket",)

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        acl = side.setting(resource, "acl")
        value = acl.as_str()
        if value is not None and value.lower() in _PUBLIC_ACLS:
            side.report(
                resource,
                acl,
                f"{side.label(resource)} sets {acl.shown}: every{' AWS' if 'authenticated' in value else ''} user can "
                f'{"write and " if "write" in value else ""}read the bucket; use acl = "private"',
            )
            return
        grants = [*resource.nested("grant")]
        for policy in resource.nested("access_control_policy"):
            grants.extend(policy.nested("grant"))
        for grant in grants:
            holders = [grant, *grant.nested("grantee")]
            for holder in holders:
                uri = holder.attributes.get("uri")
                if uri is not None and isinstance(uri.value, str) and uri.value.endswith(_PUBLIC_GROUPS):
                    group = uri.value.rsplit("/", 1)[-1]
                    side.report(
                        resource,
                        uri.key_span,
                        f"{side.label(resource)} grants access to the {group} group: the bucket is readable by "
                        "anyone; remove the grant",
                    )
                    return

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        acl = side.setting(resource, "AccessControl")
        value = acl.as_str()
        if value is not None and value.lower() in _CFN_PUBLIC_ACLS:
            side.report(
                resource,
                acl,
                f"S3 bucket {side.label(resource)} sets {acl.shown}: the bucket is open to everyone; use "
                "AccessControl: Private (or none) and serve public files through CloudFront",
            )


class S3BucketPolicyPublic(AwsRule):
    """An S3 bucket policy that allows any principal.

    ## What it does
    Reads the policy of `aws_s3_bucket_policy` (and the v3 `policy` of `aws_s3_bucket`)
    whether written with `jsonencode`, as JSON in a heredoc or a string, or as a `data
    "aws_iam_policy_document"` of the module, and of `AWS::S3::BucketPolicy`, and reports
    each `Allow` statement whose principal is everyone (`"*"`, `{"AWS": "*"}`, or a
    `NotPrincipal`) unless a condition ties it to an account, organisation, VPC, endpoint,
    IP range or source (`aws:SourceVpce`, `aws:PrincipalOrgID`, `aws:SourceArn`, ...).

    ## Why is this bad?
    `"Principal": "*"` with `Allow` grants the actions to anyone on the internet,
    authenticated or not: a `GetObject` publishes every object, a `PutObject` lets anyone
    fill the bucket (and the bill).

    ## Example
    ```terraform
    resource "aws_s3_bucket_policy" "assets" {
      bucket = aws_s3_bucket.assets.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = "*"
          Action    = "s3:GetObject"
          Resource  = "${aws_s3_bucket.assets.arn}/*"
        }]
      })
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_s3_bucket_policy" "assets" {
      bucket = aws_s3_bucket.assets.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { Service = "cloudfront.amazonaws.com" }
          Action    = "s3:GetObject"
          Resource  = "${aws_s3_bucket.assets.arn}/*"
          Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.assets.arn } }
        }]
      })
    }
    ```

    ## Notes
    `Deny` statements with `"*"` (such as denying requests without TLS) are what they
    should be and are not reported.
    """

    id = "AWS015"
    name = "s3-bucket-policy-public"
    summary = "S3 bucket policy allowing any principal"
    checklist = ("network-exposure",)
    severity = Severity.HIGH
    cwe = (732,)
    references = (f"{S3_DOCS}access-policy-language-overview.html",)
    terraform_types = ("aws_s3_bucket_policy", "aws_s3_bucket")
    terraform_attributes = {"aws_s3_bucket": ("policy",), "aws_s3_bucket_policy": ("policy",)}
    terraform_context = ("aws_iam_policy_document",)
    cloudformation_types = ("AWS::S3::BucketPolicy",)

    def check_module(self, index: ModuleIndex, side: TerraformSide) -> None:
        self._reported: set[tuple[str, Span]] = set()
        super().check_module(index, side)

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        policy = resource.attributes.get("policy")
        if policy is None:
            return
        for statement, holder in self._statements(resource, policy, side):
            if statement.public:
                self._report(side, resource, holder, statement)

    def _statements(
        self, resource: TerraformBlock, policy: TerraformAttribute, side: TerraformSide
    ) -> list[tuple[_policy.Statement, TerraformBlock]]:
        value = policy.value
        native = not resource.path.lower().endswith(".json")
        span = policy.value_span
        if isinstance(value, str):
            if span.end_line > span.line and native:  # a heredoc: its body starts on the next line
                found = _policy.from_json_text(resource.path, value, span.line + 1)
            else:
                found = _policy.from_mapping(value, policy.key_span)
            return [(statement, resource) for statement in found]
        if not isinstance(value, TerraformExpression):
            return []
        if value.kind == "template" and value.text.startswith("<<") and native:
            body = value.text.split("\n", 1)[1].rsplit("\n", 1)[0] if "\n" in value.text else ""
            return [(s, resource) for s in _policy.from_json_text(resource.path, body, span.line + 1)]
        if value.kind == "reference" and len(value.references) == 1:
            target = side.index.resolve(resource, value.references[0])
            if target is not None and target.type == "data" and target.labels[0] == "aws_iam_policy_document":
                return [(statement, target) for statement, _ in _policy.from_policy_document(target)]
            return []
        node = terraform_structure(value, span, native=native)
        if node.kind == "call" and node.name == "jsonencode" and node.items:
            found = _policy.from_node(node.items[0])
            if not native:
                found = [_at(statement, policy.key_span) for statement in found]
            return [(statement, resource) for statement in found]
        return []

    def _report(self, side: TerraformSide, resource: TerraformBlock, holder: TerraformBlock, statement) -> None:
        key = (holder.path, statement.span)
        if key in self._reported:
            return
        self._reported.add(key)
        if holder is resource:
            subject = f"the bucket policy of {side.label(resource)}"
        else:
            subject = f"{holder.address}, the policy of {side.label(resource)},"
        side.report(
            holder,
            statement.span,
            f"{subject} allows any principal: anyone on the internet gets its actions; name the accounts, roles or "
            "services, or add a condition (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn)",
        )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        document = resource.field("PolicyDocument")
        if document is None:
            return
        for statement in _policy.from_mapping(document.value, document.key_span):
            if statement.public:
                side.report(
                    resource,
                    statement.span,
                    f"bucket policy {side.label(resource)} allows any principal: anyone on the internet gets its "
                    "actions; name the accounts, roles or services, or add a condition (aws:SourceVpce, "
                    "aws:PrincipalOrgID, aws:SourceArn)",
                )


def _at(statement: Any, span: Span) -> Any:
    import attrs

    return attrs.evolve(statement, span=span)
