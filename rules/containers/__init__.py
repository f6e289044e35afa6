"""The container and cluster family: Dockerfiles, Kubernetes manifests, Compose files and
Helm values held against the readiness checklist.

``CTR`` rules judge container settings (users, hardening, resources, images, how
secrets are delivered); ``K8S`` rules judge cluster objects (replicas, disruption
budgets, spreading, autoscalers, Services, Ingresses) and give the repository-level
alerting and autoscaling signals.
"""

from .autoscaling import HpaCannotScale, HpaMinReplicasTooLow, HpaWithoutMetrics
from .availability import WorkloadSingleReplica, WorkloadWithoutDisruptionBudget, WorkloadWithoutSpread
from .hardening import (
    CapabilitiesNotDropped,
    ComposeSensitiveHostMount,
    DangerousCapabilityAdded,
    HostNamespaceShared,
    HostPathVolume,
    PrivilegedContainer,
    PrivilegeEscalationAllowed,
    WritableRootFilesystem,
)
from .images import BaseImageNotPinned, DeployedImageNotPinned
from .network import ExposedSensitivePort, IngressWithoutTls
from .nonroot import ContainerRunsAsRoot, DockerfileRunsAsRoot
from .resources import ContainerResources
from .secrets_delivery import SecretFromConfigMap, SecretInEnvLiteral
from .signals import NoAlertingRules, NoAutoscaler

RULES = (
    DockerfileRunsAsRoot,
    ContainerRunsAsRoot,
    PrivilegedContainer,
    PrivilegeEscalationAllowed,
    HostNamespaceShared,
    WritableRootFilesystem,
    CapabilitiesNotDropped,
    DangerousCapabilityAdded,
    HostPathVolume,
    ComposeSensitiveHostMount,
    ContainerResources,
    BaseImageNotPinned,
    DeployedImageNotPinned,
    SecretInEnvLiteral,
    SecretFromConfigMap,
    WorkloadSingleReplica,
    WorkloadWithoutDisruptionBudget,
    WorkloadWithoutSpread,
    HpaMinReplicasTooLow,
    HpaWithoutMetrics,
    HpaCannotScale,
    ExposedSensitivePort,
    IngressWithoutTls,
    NoAlertingRules,
    NoAutoscaler,
)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
