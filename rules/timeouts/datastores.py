"""TMO006-TMO007: database and cache clients without a timeout."""

from __future__ import annotations

from prodready_lint.sdk import (
    MISSING,
    NOT_LITERAL,
    Call,
    Confidence,
    Context,
    PythonFile,
    Rule,
    Severity,
    literal,
    string_fragments,
)

from ._common import CHECKLIST, CWE, KINDS, Verdict, display, inside_green_timeout, judge, matching

_REDIS_CLIENTS = (
    "redis.Redis",
    "redis.StrictRedis",
    "redis.client.Redis",
    "redis.client.StrictRedis",
    "redis.asyncio.Redis",
    "redis.asyncio.StrictRedis",
    "redis.asyncio.client.Redis",
    "redis.asyncio.client.StrictRedis",
)
_REDIS_CLUSTERS = (
    "redis.RedisCluster",
    "redis.cluster.RedisCluster",
    "redis.asyncio.RedisCluster",
    "redis.asyncio.cluster.RedisCluster",
)
# qualified name -> position of socket_timeout: Redis(host, port, db, password, socket_timeout, ...)
_REDIS_TARGETS: dict[str, int | None] = {
    **dict.fromkeys(_REDIS_CLIENTS, 4),
    **dict.fromkeys(_REDIS_CLUSTERS),
    "redis.from_url": None,
    "redis.asyncio.from_url": None,
    **{f"{client}.from_url": None for client in (*_REDIS_CLIENTS, *_REDIS_CLUSTERS)},
}


class RedisWithoutTimeout(Rule):
    """A redis-py client with no socket timeout.

    ## What it does
    Checks for `redis.Redis` / `StrictRedis` / `RedisCluster` clients (sync and
    `redis.asyncio`), and `from_url()`, created without `socket_timeout` (as a keyword,
    by position, or as `socket_timeout=` in the URL), or with `socket_timeout=None`.

    ## Why is this bad?
    Before redis-py 8.0 the default `socket_timeout` is `None`: a Redis server that
    stops answering (failover, network partition, a long blocking command) blocks every
    caller forever, and a cache meant to make the service faster takes it down.
    Version 8.0 defaults to 5 seconds, but pinning the behaviour in code keeps it right
    whatever version is installed. `socket_connect_timeout` alone does not bound reads.

    ## Example
    ```python
    import redis

    cache = redis.Redis(host="cache.internal", port=6379)
    ```

    ## Use instead
    ```python
    import redis

    cache = redis.Redis(host="cache.internal", port=6379, socket_timeout=2, socket_connect_timeout=2)
    ```

    ## Notes
    A client given `connection_pool=` takes its timeouts from the pool and is not
    reported here, nor is one created inside `with eventlet.Timeout(seconds)` or
    `with gevent.Timeout(seconds)`.
    """

    id = "TMO006"
    name = "redis-without-socket-timeout"
    summary = "redis client has no socket_timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("redis",)
    references = ("https://redis.readthedocs.io/en/stable/connections.html",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            target = matching(call, _REDIS_TARGETS)
            if target is None:
                continue
            if call.argument("connection_pool") is not MISSING or inside_green_timeout(call):
                continue
            verdict = judge(call.argument("socket_timeout", _REDIS_TARGETS[target]))
            if verdict is Verdict.MISSING and target.endswith("from_url"):
                url = call.argument("url", 0)
                if url is not MISSING and any("socket_timeout=" in part for part in string_fragments(url)):
                    continue
            if verdict is Verdict.FINE:
                continue
            name = display(call)
            if verdict is Verdict.MISSING:
                message = (
                    f"{name} has no socket_timeout: redis-py before 8.0 waits forever for an unresponsive "
                    "server; pass socket_timeout (and socket_connect_timeout) in seconds"
                )
            else:
                message = f"{name} passes socket_timeout=None, which lets reads block forever; pass a finite value"
            ctx.report(call, message)


_PG_CONNECT = frozenset(
    {"psycopg2.connect", "psycopg.connect", "psycopg.Connection.connect", "psycopg.AsyncConnection.connect"}
)


class PostgresConnectWithoutTimeout(Rule):
    """A PostgreSQL connection (psycopg2 / psycopg) with no connect timeout.

    ## What it does
    Checks for `psycopg2.connect()` and psycopg 3's `connect()` without
    `connect_timeout`, either as a keyword or inside a literal DSN
    (`"host=db connect_timeout=5"` or `"postgresql://db/app?connect_timeout=5"`).
    A DSN held in a variable is treated as lacking one.

    ## Why is this bad?
    libpq waits for the server without limit by default, so psycopg2 blocks forever
    on a host that drops packets (a failover, a security group change); psycopg 3 falls
    back to 130 seconds per attempt. Service start-up and request handling hang with it.

    ## Example
    ```python
    import os
    import psycopg2

    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    ```

    ## Use instead
    ```python
    import os
    import psycopg2

    conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
    ```

    ## Notes
    An asynchronous psycopg2 connection (`async_=True`, or `async` in a spread
    mapping) is not reported: `connect()` then returns at once and libpq ignores
    `connect_timeout`, so the wait happens in the code that polls it. Nor is a
    connection made inside `with eventlet.Timeout(seconds)` or
    `with gevent.Timeout(seconds)` (with psycopg2 made green, as gevent and eventlet
    applications do).
    """

    id = "TMO007"
    name = "postgres-connect-without-timeout"
    summary = "PostgreSQL connection has no connect_timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("psycopg",)
    references = ("https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            target = matching(call, _PG_CONNECT)
            if target is None:
                continue
            if (target == "psycopg2.connect" and _asynchronous(call)) or inside_green_timeout(call):
                continue
            verdict = judge(call.argument("connect_timeout"))
            if verdict is Verdict.MISSING:
                dsn = call.argument("dsn", 0)
                if dsn is MISSING:
                    dsn = call.argument("conninfo")
                if dsn is not MISSING and any("connect_timeout" in part for part in string_fragments(dsn)):
                    continue
            if verdict is Verdict.FINE:
                continue
            ctx.report(call, self._message(call, verdict))

    @staticmethod
    def _message(call: Call, verdict: Verdict) -> str:
        name = display(call)
        if verdict is Verdict.MISSING:
            return (
                f"{name} has no connect_timeout (keyword or in the DSN): psycopg2/libpq waits for an "
                "unreachable server forever and psycopg 3 for 130 s; pass connect_timeout=seconds"
            )
        return f"{name} passes connect_timeout=None, so connecting can wait forever; pass a finite value"


def _asynchronous(call: Call) -> bool:
    """``psycopg2.connect(..., async_=True)`` (``async`` before Python 3.7): anything but
    a false literal may ask for an asynchronous connection."""
    for keyword in ("async_", "async"):
        value = call.argument(keyword)
        if value is not MISSING and (literal(value) is NOT_LITERAL or literal(value)):
            return True
    return False
