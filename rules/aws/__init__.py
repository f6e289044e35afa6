"""The AWS family (prefix ``AWS``): the Terraform and CloudFormation settings a production
readiness review asks of AWS infrastructure: high availability, backups, deletion
protection, encryption, network exposure, TLS, secrets delivery and alerting."""

from .alarms import NoCloudWatchAlarms
from .caches import ElastiCacheAtRestUnencrypted, ElastiCacheTransitUnencrypted
from .cdn import CloudFrontViewerHttp
from .databases import (
    DatabaseBackupsDisabled,
    DatabaseDeletionProtectionDisabled,
    DatabaseFinalSnapshotSkipped,
    DatabaseNotMultiAz,
    DatabasePubliclyAccessible,
    DatabaseStorageUnencrypted,
    DatabaseTlsNotRequired,
)
from .lifecycle import StatefulResourceWithoutDestroyProtection
from .messaging import MessagingUnencrypted
from .network import LoadBalancerHttpWithoutRedirect, SecurityGroupAdminPortOpen
from .s3 import (
    S3BucketPolicyPublic,
    S3BucketPublicAccessBlockMissing,
    S3BucketPublicAcl,
    S3BucketUnencrypted,
    S3BucketVersioningDisabled,
)
from .secrets import PasswordNotFromSecretStore
from .storage import (
    DynamoDbEncryptionDisabled,
    DynamoDbPointInTimeRecoveryDisabled,
    EbsVolumeUnencrypted,
    EfsUnencrypted,
)

RULES = (
    DatabaseNotMultiAz,
    DatabaseBackupsDisabled,
    DatabaseDeletionProtectionDisabled,
    DatabaseFinalSnapshotSkipped,
    DatabaseStorageUnencrypted,
    DatabasePubliclyAccessible,
    EbsVolumeUnencrypted,
    EfsUnencrypted,
    DynamoDbPointInTimeRecoveryDisabled,
    DynamoDbEncryptionDisabled,
    S3BucketVersioningDisabled,
    S3BucketUnencrypted,
    S3BucketPublicAccessBlockMissing,
    S3BucketPublicAcl,
    S3BucketPolicyPublic,
    StatefulResourceWithoutDestroyProtection,
    SecurityGroupAdminPortOpen,
    LoadBalancerHttpWithoutRedirect,
    PasswordNotFromSecretStore,
    NoCloudWatchAlarms,
    ElastiCacheAtRestUnencrypted,
    ElastiCacheTransitUnencrypted,
    MessagingUnencrypted,
    CloudFrontViewerHttp,
    DatabaseTlsNotRequired,
)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
