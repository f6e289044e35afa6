"""APP003: CORS that lets any origin make credentialed requests."""

from __future__ import annotations

from prodready_lint.sdk import NOT_LITERAL, Context, PythonFile, Rule, Severity, literal

from ._common import is_true, not_served

_STARLETTE = frozenset(
    {
        "fastapi.middleware.cors.CORSMiddleware",
        "starlette.middleware.cors.CORSMiddleware",
        "litestar.config.cors.CORSConfig",
    }
)
_FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "quart_cors.cors", "sanic_cors.CORS"})
_ANY_REGEX = frozenset({".*", "^.*$", ".+", "^.+$", "(.*)", "https?://.*", "https://.*", r"^https?://.*$"})


def _wildcard(value) -> bool:
    python = literal(value)
    if python is NOT_LITERAL:
        return False
    if isinstance(python, str):
        return python.strip() == "*"
    if isinstance(python, (list, tuple, frozenset)):
        return any(isinstance(item, str) and item.strip() == "*" for item in python)
    return False


class CorsWildcardWithCredentials(Rule):
    """CORS allows every origin and credentials together.

    ## What it does
    Checks CORS configuration that answers any origin while allowing credentials:
    Starlette/FastAPI `CORSMiddleware` with `allow_origins=["*"]` (or
    `allow_origin_regex=".*"`) and `allow_credentials=True`; Flask-CORS `CORS(...)` or
    `@cross_origin(...)` with `supports_credentials=True` and no `origins` (its default is
    `*`) or `origins="*"`; django-cors-headers settings with `CORS_ALLOW_ALL_ORIGINS = True`
    (or `CORS_ORIGIN_ALLOW_ALL`) and `CORS_ALLOW_CREDENTIALS = True`.

    ## Why is this bad?
    These libraries answer a credentialed request from any origin by echoing that origin,
    so any web page a logged-in user visits can call the API with the user's cookies and
    read the answers.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    ```

    ## Notes
    A wildcard without credentials (a public, cookie-less API) is not flagged. Origins
    read from settings are not literals and are not flagged.
    """

    id = "APP003"
    name = "cors-wildcard-with-credentials"
    summary = "CORS allows any origin together with credentials"
    checklist = ("cors-csrf",)
    severity = Severity.HIGH
    cwe = (942,)
    triggers = ("CORS", "cors")
    references = ("https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        if not_served(file.path):
            return
        for call in file.calls:
            names = set(call.qualnames)
            middleware = names & _STARLETTE
            if not middleware and call.args:
                first = call.args[0]
                middleware = set(getattr(first, "qualnames", ()) or ()) & _STARLETTE
            if middleware:
                credentials = call.keyword("allow_credentials")
                regex = literal(call.keyword("allow_origin_regex"))
                if (
                    credentials is not None
                    and is_true(credentials)
                    and (_wildcard(call.keyword("allow_origins")) or regex in _ANY_REGEX)
                ):
                    ctx.report(
                        call,
                        "CORSMiddleware allows every origin with credentials: any site can call the API as the "
                        "logged-in user; list the allowed origins",
                    )
            elif names & _FLASK_CORS:
                credentials = call.keyword("supports_credentials") or call.keyword("allow_credentials")
                if credentials is None or not is_true(credentials):
                    continue
                origins = call.keyword("origins") or call.keyword("allow_origin")
                resources = call.keyword("resources")
                if (origins is None and resources is None) or (origins is not None and _wildcard(origins)):
                    ctx.report(
                        call,
                        f"{call.callee}(supports_credentials=True) with every origin allowed (origins default to "
                        "'*'): any site can call the API as the logged-in user; pass origins=[...]",
                    )
        allow_all = None
        credentials = False
        for assignment in file.assignments:
            target = assignment.target
            if target.kind != "name" or assignment.scope != "module":
                continue
            if target.name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
                allow_all = assignment if literal(assignment.value) is True else None
            elif target.name in ("CORS_ALLOW_CREDENTIALS",):
                credentials = literal(assignment.value) is True
        if allow_all is not None and credentials:
            ctx.report(
                allow_all.span,
                f"{allow_all.target.name} = True with CORS_ALLOW_CREDENTIALS = True: any site can call the API "
                "as the logged-in user; list CORS_ALLOWED_ORIGINS instead",
            )
