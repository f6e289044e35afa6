"""TMO002-TMO005: standard-library network clients without a timeout.

Every one of them falls back to ``socket.getdefaulttimeout()``, which is ``None``
(block forever) unless the process changed it.
"""

from __future__ import annotations

from collections.abc import Callable

from prodready_lint.sdk import Call, Confidence, PythonFile, Severity

from ._common import CHECKLIST, CWE, KINDS, NO_TIMEOUT_PARAMETER, SocketDefaultRule, Verdict, judge, matching

_SOCKET_DEFAULT = "it falls back to the socket default timeout, which is None: it can block forever"
_LEGACY_OPENERS = frozenset({"urllib.request.URLopener", "urllib.request.FancyURLopener"})


class UrllibWithoutTimeout(SocketDefaultRule):
    """`urllib.request` opening a URL with no timeout.

    ## What it does
    Checks for `urllib.request.urlopen()` and `OpenerDirector.open()` (openers from
    `urllib.request.build_opener()`) without a `timeout`, or with `timeout=None`, and
    for the helpers that take no timeout at all: `urllib.request.urlretrieve()` and the
    legacy `URLopener` / `FancyURLopener` `open()` and `retrieve()`.

    ## Why is this bad?
    Without a timeout, urllib uses the global socket default, which is `None`: a server
    that stops answering blocks the caller forever. `urlretrieve()` and the legacy
    openers cannot be given a timeout; only `socket.setdefaulttimeout()` bounds them.

    ## Example
    ```python
    from urllib.request import urlopen

    def download(url):
        with urlopen(url) as response:
            return response.read()
    ```

    ## Use instead
    ```python
    from urllib.request import urlopen

    def download(url):
        with urlopen(url, timeout=15) as response:
            return response.read()
    ```

    ## Notes
    A file that sets a finite process-wide default with `socket.setdefaulttimeout()`
    is not reported: these clients then use it. Nor is a call inside
    `with eventlet.Timeout(seconds)` or `with gevent.Timeout(seconds)`.
    """

    id = "TMO002"
    name = "urllib-without-timeout"
    summary = "urllib.request call has no timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("urlopen", "build_opener", "OpenerDirector", "urlretrieve", "URLopener")
    references = ("https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen",)

    functions = {"urllib.request.urlopen": 2, "urllib.request.urlretrieve": NO_TIMEOUT_PARAMETER}
    receivers = (
        (frozenset({"urllib.request.build_opener", "urllib.request.OpenerDirector"}), {"open": 2}),
        (_LEGACY_OPENERS, {"open": NO_TIMEOUT_PARAMETER, "retrieve": NO_TIMEOUT_PARAMETER}),
    )
    behaviour = _SOCKET_DEFAULT
    advice = "pass timeout=seconds"
    untimed = (
        "only socket.setdefaulttimeout() bounds it, and the socket default is None, so it can block "
        "forever; set a finite default first, or download with urlopen(url, timeout=seconds)"
    )


class HttpClientWithoutTimeout(SocketDefaultRule):
    """An `http.client` connection with no timeout.

    ## What it does
    Checks for `http.client.HTTPConnection` and `HTTPSConnection` created without a
    `timeout` (by keyword or position), or with `timeout=None`.

    ## Why is this bad?
    The connection uses the global socket default timeout, `None` unless changed:
    connecting to or reading from an unresponsive host blocks forever.

    ## Example
    ```python
    import http.client

    conn = http.client.HTTPSConnection("api.example.com")
    ```

    ## Use instead
    ```python
    import http.client

    conn = http.client.HTTPSConnection("api.example.com", timeout=10)
    ```

    ## Notes
    A file that sets a finite process-wide default with `socket.setdefaulttimeout()`
    is not reported: these clients then use it. Nor is a call inside
    `with eventlet.Timeout(seconds)` or `with gevent.Timeout(seconds)`.
    """

    id = "TMO003"
    name = "http-client-without-timeout"
    summary = "http.client connection has no timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("HTTPConnection", "HTTPSConnection")
    references = ("https://docs.python.org/3/library/http.client.html#http.client.HTTPConnection",)

    # HTTPSConnection(host, port, key_file, cert_file, timeout) before 3.12.
    functions = {"http.client.HTTPConnection": 2, "http.client.HTTPSConnection": 4}
    behaviour = _SOCKET_DEFAULT
    advice = "pass timeout=seconds"


class SocketWithoutTimeout(SocketDefaultRule):
    """`socket.create_connection()` with no timeout.

    ## What it does
    Checks for `socket.create_connection(address)` without a `timeout` (by keyword or
    as the second argument), or with `timeout=None`.

    ## Why is this bad?
    The socket gets the global default timeout, `None` unless changed, so both the
    connect and every later read can block forever.

    ## Example
    ```python
    import socket

    sock = socket.create_connection(("ledger.internal", 9000))
    ```

    ## Use instead
    ```python
    import socket

    sock = socket.create_connection(("ledger.internal", 9000), timeout=5)
    ```

    ## Notes
    A file that sets a finite process-wide default with `socket.setdefaulttimeout()`
    is not reported: these clients then use it. Nor is a call inside
    `with eventlet.Timeout(seconds)` or `with gevent.Timeout(seconds)`.
    """

    id = "TMO004"
    name = "socket-without-timeout"
    summary = "socket connection has no timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("create_connection",)
    references = ("https://docs.python.org/3/library/socket.html#socket.create_connection",)

    functions = {"socket.create_connection": 1}
    behaviour = _SOCKET_DEFAULT
    advice = "pass timeout=seconds"


_FTP_CLASSES = frozenset({"ftplib.FTP", "ftplib.FTP_TLS"})


class MailFtpClientWithoutTimeout(SocketDefaultRule):
    """An SMTP, LMTP, FTP, POP3 or IMAP client with no timeout.

    ## What it does
    Checks for `smtplib.SMTP`, `SMTP_SSL`, `LMTP`, `ftplib.FTP`, `FTP_TLS`,
    `poplib.POP3`, `POP3_SSL`, `imaplib.IMAP4` and `IMAP4_SSL` created without a
    `timeout` (by keyword or position), or with `timeout=None`. An FTP client created
    without a host is fine when the function then calls `connect()` with a timeout.

    ## Why is this bad?
    These clients fix their socket timeout when they are created; without one they use
    the global default, `None` unless changed, and a mail or file server that stalls
    blocks the sender forever (a classic cause of hung background workers).

    ## Example
    ```python
    import smtplib

    def send(message):
        with smtplib.SMTP("smtp.internal", 587) as smtp:
            smtp.send_message(message)
    ```

    ## Use instead
    ```python
    import smtplib

    def send(message):
        with smtplib.SMTP("smtp.internal", 587, timeout=30) as smtp:
            smtp.send_message(message)
    ```

    ## Notes
    A file that sets a finite process-wide default with `socket.setdefaulttimeout()`
    is not reported: these clients then use it. Nor is a call inside
    `with eventlet.Timeout(seconds)` or `with gevent.Timeout(seconds)`.
    """

    id = "TMO005"
    name = "mail-ftp-client-without-timeout"
    summary = "SMTP/FTP/POP3/IMAP client has no timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("smtplib", "ftplib", "poplib", "imaplib", "SMTP", "FTP", "POP3", "IMAP4")
    references = (
        "https://docs.python.org/3/library/smtplib.html#smtplib.SMTP",
        "https://docs.python.org/3/library/ftplib.html#ftplib.FTP",
    )

    # Positions as in Python 3.11 (3.12 made the SSL variants' timeout keyword-only).
    functions = {
        "smtplib.SMTP": 3,
        "smtplib.SMTP_SSL": 5,
        "smtplib.LMTP": 4,
        "ftplib.FTP": 4,
        "ftplib.FTP_TLS": 7,
        "poplib.POP3": 2,
        "poplib.POP3_SSL": 4,
        "imaplib.IMAP4": 2,
        "imaplib.IMAP4_SSL": 5,
    }
    behaviour = _SOCKET_DEFAULT
    advice = "pass timeout=seconds"

    def exemption(self, file: PythonFile) -> Callable[[Call], bool]:
        """``ftplib.FTP()`` without a host connects later: ``ftp.connect(host, port,
        timeout)`` in the same function may give the timeout instead."""
        default_set = super().exemption(file)
        timed_connects = {
            call.function
            for call in file.calls
            if call.method == "connect"
            and call.receiver is not None
            and call.receiver.is_one_of(_FTP_CLASSES)
            and judge(call.argument("timeout", 2)) is Verdict.FINE
        }

        def connects_later_with_timeout(call: Call) -> bool:
            return default_set(call) or (
                matching(call, _FTP_CLASSES) is not None
                and not call.args
                and call.keyword("host") is None
                and call.function in timed_connects
            )

        return connects_later_with_timeout
