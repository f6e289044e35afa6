"""AWS024: CloudFront distributions that serve viewers over plain HTTP or old TLS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prodready_lint.sdk import CfnList, CfnMapping, Intrinsic, Severity, TerraformBlock

from ._base import AwsRule, CloudFormationSide, TerraformSide

# Security policies that still accept SSLv3, TLS 1.0 or TLS 1.1.
_OLD_PROTOCOLS = frozenset({"sslv3", "tlsv1", "tlsv1_2016", "tlsv1.1_2016"})


class CloudFrontViewerHttp(AwsRule):
    """A CloudFront distribution that serves viewers over plain HTTP or an outdated TLS.

    ## What it does
    Checks the cache behaviors of `aws_cloudfront_distribution` (`default_cache_behavior`
    and every `ordered_cache_behavior`) and of `AWS::CloudFront::Distribution`
    (`DefaultCacheBehavior`, `CacheBehaviors`) for `viewer_protocol_policy = "allow-all"`,
    and the viewer certificate for a `minimum_protocol_version` that accepts SSLv3, TLS 1.0
    or TLS 1.1, or none at all beside a certificate of its own (`acm_certificate_arn`,
    `iam_certificate_id`: the default is then `TLSv1`). The finding points at the
    offending value, or at the certificate block. Both branches of a CloudFormation
    `Fn::If` are read.

    ## Why is this bad?
    With `allow-all`, a viewer who types the bare domain or follows an old `http://` link
    gets the page, its cookies and its tokens over plain HTTP, readable and changeable by
    anyone on the path; nothing sends them to HTTPS. TLS 1.0 and 1.1 have known attacks
    and are refused by current browsers and compliance regimes.

    ## Example
    ```terraform
    resource "aws_cloudfront_distribution" "site" {
      enabled = true

      default_cache_behavior {
        target_origin_id       = "site"
        allowed_methods        = ["GET", "HEAD"]
        cached_methods         = ["GET", "HEAD"]
        viewer_protocol_policy = "allow-all"
      }
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_cloudfront_distribution" "site" {
      enabled = true

      default_cache_behavior {
        target_origin_id       = "site"
        allowed_methods        = ["GET", "HEAD"]
        cached_methods         = ["GET", "HEAD"]
        viewer_protocol_policy = "redirect-to-https"
      }
    }
    ```

    ## Notes
    `redirect-to-https` and `https-only` both pass. A distribution on CloudFront's
    default certificate cannot choose its TLS versions and is not reported for them.
    """

    id = "AWS024"
    name = "cloudfront-viewer-http"
    summary = "CloudFront distribution serving viewers over HTTP or TLS older than 1.2"
    checklist = ("tls",)
    severity = Severity.MEDIUM
    cwe = (319,)
    references = (
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
    )
    terraform_types = ("aws_cloudfront_distribution",)
    terraform_attributes = {
        "aws_cloudfront_distribution": (
            "default_cache_behavior",
            "ordered_cache_behavior",
            "viewer_certificate",
            "dynamic",
        )
    }
    cloudformation_types = ("AWS::CloudFront::Distribution",)
    _FIX = 'set viewer_protocol_policy = "redirect-to-https"'

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        label = side.label(resource)
        behaviors = (
            *resource.nested("default_cache_behavior", dynamic=True),
            *resource.nested("ordered_cache_behavior", dynamic=True),
        )
        for behavior in behaviors:
            policy = side.setting(behavior, "viewer_protocol_policy")
            if (policy.as_str() or "").lower() == "allow-all":
                where = self._path(side, behavior)
                side.report(
                    resource,
                    policy,
                    f"CloudFront distribution {label}{where} sets {policy.shown}: viewers are served over plain "
                    f"HTTP; {self._FIX}",
                )
        for certificate in resource.nested("viewer_certificate", dynamic=True):
            version = side.setting(certificate, "minimum_protocol_version")
            if version.present:
                if (version.as_str() or "").lower() in _OLD_PROTOCOLS:
                    side.report(
                        resource,
                        version,
                        f"CloudFront distribution {label} sets {version.shown}: viewers may connect with TLS older "
                        'than 1.2; set minimum_protocol_version = "TLSv1.2_2021"',
                    )
            elif side.given(certificate, "acm_certificate_arn") or side.given(certificate, "iam_certificate_id"):
                side.report(
                    resource,
                    certificate.header_span,
                    f"CloudFront distribution {label} serves its own certificate and sets no minimum_protocol_version: "
                    'viewers may connect with TLS 1.0 (the default); set minimum_protocol_version = "TLSv1.2_2021"',
                )

    @staticmethod
    def _path(side: TerraformSide, behavior: TerraformBlock) -> str:
        pattern = side.setting(behavior, "path_pattern").as_str()
        return f" (behavior {pattern})" if pattern else ""

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        label = side.label(resource)
        for config in _branches(resource.get("DistributionConfig")):
            behaviors = list(_branches(config.get("DefaultCacheBehavior")))
            others = config.get("CacheBehaviors")
            if isinstance(others, CfnList):
                behaviors.extend(behavior for item in others for behavior in _branches(item))
            for behavior in behaviors:
                field = behavior.field("ViewerProtocolPolicy")
                if field is not None and "allow-all" in _texts(side, field.value):
                    pattern = behavior.get("PathPattern")
                    where = f" (behavior {pattern})" if isinstance(pattern, str) else ""
                    side.report(
                        resource,
                        field.key_span,
                        f"CloudFront distribution {label}{where} sets ViewerProtocolPolicy: allow-all: viewers are "
                        "served over plain HTTP; set ViewerProtocolPolicy: redirect-to-https",
                    )
            for certificate in _branches(config.get("ViewerCertificate")):
                self._certificate(side, resource, certificate)

    def _certificate(self, side: CloudFormationSide, resource, certificate: CfnMapping) -> None:
        label = side.label(resource)
        version = certificate.field("MinimumProtocolVersion")
        if version is not None:
            old = sorted(_texts(side, version.value) & _OLD_PROTOCOLS)
            if old:
                shown = old[0]
                side.report(
                    resource,
                    version.key_span,
                    f"CloudFront distribution {label} sets MinimumProtocolVersion: {shown}: viewers may connect with "
                    "TLS older than 1.2; set MinimumProtocolVersion: TLSv1.2_2021",
                )
        elif "AcmCertificateArn" in certificate or "IamCertificateId" in certificate:
            side.report(
                resource,
                certificate.span,
                f"CloudFront distribution {label} serves its own certificate and sets no MinimumProtocolVersion: "
                "viewers may connect with TLS 1.0 (the default); set MinimumProtocolVersion: TLSv1.2_2021",
            )


def _branches(value: Any) -> Iterator[CfnMapping]:
    """A mapping, or each mapping a ``Fn::If`` may choose (nested conditions included)."""
    if isinstance(value, CfnMapping):
        yield value
    elif isinstance(value, Intrinsic) and value.name == "Fn::If" and isinstance(value.argument, list):
        for branch in value.argument[1:]:
            yield from _branches(branch)


def _texts(side: CloudFormationSide, value: Any) -> set[str]:
    """The strings a value can be, lower-cased: itself, a parameter's default, or each
    branch of a ``Fn::If``."""
    if isinstance(value, Intrinsic) and value.name == "Fn::If" and isinstance(value.argument, list):
        return {text for branch in value.argument[1:] for text in _texts(side, branch)}
    resolved = side.template.resolve(value).value
    return {resolved.lower()} if isinstance(resolved, str) else set()
