"""The health family: web services serve a health route, and what deploys them probes it.

Routes come from every mainstream Python web framework (see
:func:`prodready_lint.sdk.discover_services`); probes and health checks from Kubernetes
manifests, Compose files and Dockerfiles. The repository rules join them: a service
without a health route, a workload without probes, a probe on a path its service does
not serve, a container without a health check where no orchestrator probes it.
"""

from .healthcheck import ContainerWithoutHealthcheck
from .probe_path import ProbePathNotServed
from .probes import WorkloadWithoutProbes
from .service_route import ServiceWithoutHealthRoute

RULES = (ServiceWithoutHealthRoute, WorkloadWithoutProbes, ProbePathNotServed, ContainerWithoutHealthcheck)

__all__ = [
    "RULES",
    "ContainerWithoutHealthcheck",
    "ProbePathNotServed",
    "ServiceWithoutHealthRoute",
    "WorkloadWithoutProbes",
]
