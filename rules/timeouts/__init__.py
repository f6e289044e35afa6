"""The timeouts family (checklist slug ``timeouts``): external calls that can block forever."""

from .async_http import AiohttpTimeoutDisabled, HttpxTimeoutDisabled
from .datastores import PostgresConnectWithoutTimeout, RedisWithoutTimeout
from .grpc_rule import GrpcCallWithoutTimeout
from .requests_rule import RequestsWithoutTimeout
from .stdlib import HttpClientWithoutTimeout, MailFtpClientWithoutTimeout, SocketWithoutTimeout, UrllibWithoutTimeout
from .urllib3_rule import Urllib3WithoutTimeout

RULES = (
    RequestsWithoutTimeout,
    UrllibWithoutTimeout,
    HttpClientWithoutTimeout,
    SocketWithoutTimeout,
    MailFtpClientWithoutTimeout,
    RedisWithoutTimeout,
    PostgresConnectWithoutTimeout,
    GrpcCallWithoutTimeout,
    HttpxTimeoutDisabled,
    AiohttpTimeoutDisabled,
    Urllib3WithoutTimeout,
)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
