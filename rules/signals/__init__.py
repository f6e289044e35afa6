"""The signals family: readiness evidence across the repository (structured logging,
metrics, tracing, retries, circuit breakers, graceful shutdown, rate limiting, runbooks,
rollback docs, CI running the tests), recorded as evidence with file references, and the
findings that follow from it."""

from .observability import MetricsExposed, StructuredLogging, TracingConfigured
from .operations import CiRunsTests, RollbackDocumented, Runbooks
from .resilience import CircuitBreaker, GracefulShutdown, RateLimiting, RetriesWithBackoff
from .retry_loop import FixedSleepRetryLoop

RULES = (
    StructuredLogging,
    MetricsExposed,
    TracingConfigured,
    RetriesWithBackoff,
    FixedSleepRetryLoop,
    CircuitBreaker,
    GracefulShutdown,
    RateLimiting,
    Runbooks,
    RollbackDocumented,
    CiRunsTests,
)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
