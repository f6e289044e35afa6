"""APP001: debug mode switched on where production runs."""

from __future__ import annotations

from prodready_lint.sdk import ConfigFile, Context, FileKind, PythonFile, Rule, Severity, SourceFile, literal

from ._common import development_settings, is_true, not_served, settings_module

# Application classes whose constructor takes debug=...
_APP_CLASSES = frozenset(
    {
        "fastapi.FastAPI",
        "fastapi.applications.FastAPI",
        "starlette.applications.Starlette",
        "tornado.web.Application",
        "quart.Quart",
        "litestar.Litestar",
        "sanic.Sanic",
    }
)
# Frameworks whose app.run(debug=True) starts a debugger.
_RUN_FRAMEWORKS = ("flask", "quart", "sanic", "dash", "bottle", "aiohttp")
_DEBUG_KEYS = frozenset({"DEBUG", "FLASK_DEBUG", "DJANGO_DEBUG", "APP_DEBUG"})


class DebugEnabled(Rule):
    """Debug mode is switched on in code or settings that production runs.

    ## What it does
    Checks for debug mode turned on: `app.run(debug=True)` (Flask, Quart, Sanic, Dash,
    Bottle), `FastAPI(debug=True)` / `Starlette(debug=True)` / Tornado
    `Application(debug=True)`, Werkzeug's `run_simple(use_debugger=True)` and
    `DebuggedApplication(..., evalex=True)`, `app.debug = True`, `app.config["DEBUG"] = True`
    (and `.update(DEBUG=True)`), `DEBUG = True` in a settings module (`settings.py`,
    `settings/production.py`, `config.py`), and `DEBUG=true` / `FLASK_DEBUG=1` in a
    production environment file (`.env.production`, `.env.prod`).

    ## Why is this bad?
    Debug pages show stack traces, settings and source code to anyone who triggers an
    error; the Werkzeug debugger is a Python console in the browser, so debug mode on a
    reachable server is remote code execution.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.run(host="0.0.0.0", debug=True)
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG") == "1")
    ```

    ## Notes
    Settings modules named for development, tests or CI (`settings/dev.py`,
    `local_settings.py`, `config/testing.py`) and test, documentation and example files
    are not checked. A value read from the environment is not a literal and is not
    flagged.
    """

    id = "APP001"
    name = "debug-enabled"
    summary = "debug mode switched on in production code or settings"
    checklist = ("debug-disabled",)
    severity = Severity.HIGH
    cwe = (489, 215)
    kinds = frozenset({FileKind.PYTHON, FileKind.ENV})
    triggers = ("debug", "DEBUG", "evalex")
    references = (
        "https://flask.palletsprojects.com/en/stable/debugging/",
        "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
    )

    def check(self, file: SourceFile, ctx: Context) -> None:
        if not_served(file.path):
            return
        if isinstance(file, PythonFile):
            self._python(file, ctx)
        elif isinstance(file, ConfigFile):
            self._env(file, ctx)

    def _python(self, file: PythonFile, ctx: Context) -> None:
        dev = development_settings(file.path)
        modules = file.imported_modules
        for call in file.calls:
            names = set(call.qualnames)
            if names & _APP_CLASSES:
                debug = call.keyword("debug")
                if debug is not None and is_true(debug):
                    ctx.report(call, f"{call.callee}(debug=True) serves tracebacks to clients; read it from settings")
            elif names & {"werkzeug.serving.run_simple", "werkzeug.run_simple"}:
                value = call.keyword("use_debugger")
                if value is not None and is_true(value):
                    ctx.report(call, "run_simple(use_debugger=True) serves the Werkzeug debugger console")
            elif names & {"werkzeug.debug.DebuggedApplication"}:
                value = call.argument("evalex", 1)
                if is_true(value):
                    ctx.report(call, "DebuggedApplication(evalex=True) serves an interactive Python console")
            elif call.method in ("run", "run_server") and not dev:
                debug = call.keyword("debug")
                if debug is None or not is_true(debug):
                    continue
                framework = call.receiver.qualname if call.receiver and call.receiver.qualname else ""
                if framework.split(".")[0] in _RUN_FRAMEWORKS or (
                    not framework and any(m.split(".")[0] in _RUN_FRAMEWORKS for m in modules)
                ):
                    ctx.report(call, f"{call.callee}(debug=True) starts the debugger and reloader; never in production")
        if dev:
            return
        settings = settings_module(file.path)
        for assignment in file.assignments:
            target = assignment.target
            if target.kind == "attribute" and target.name == "debug" and assignment.scope != "class":
                if (
                    target.base
                    and target.base.split(".")[-1] in ("app", "application", "server")
                    and is_true(assignment.value)
                ):
                    ctx.report(assignment.span, f"{target.text} = True switches debug mode on; read it from settings")
            elif (
                target.kind == "subscript"
                and isinstance(target.key, str)
                and target.key in _DEBUG_KEYS
                and (target.base or "").endswith("config")
            ):
                if is_true(assignment.value):
                    ctx.report(assignment.span, f"{target.text} set to True switches debug mode on")
            elif (
                target.kind == "name"
                and target.name == "DEBUG"
                and settings
                and assignment.scope in ("module", "class")
                and literal(assignment.value) is True
            ):
                ctx.report(
                    assignment.span,
                    "DEBUG = True in a settings module: error pages show settings and source; "
                    "default to False and switch it on from the environment for development",
                )

    def _env(self, file: ConfigFile, ctx: Context) -> None:
        name = file.path.rsplit("/", 1)[-1].lower()
        if not any(word in name for word in ("prod", "production", "live")):
            return
        for entry in file.entries:
            if entry.path.upper() in _DEBUG_KEYS and is_true_text(entry.value):
                ctx.report(entry.span, f"{entry.path}={entry.value} in a production environment file")


def is_true_text(value: object) -> bool:
    return isinstance(value, str) and value.strip().strip("\"'").lower() in ("1", "true", "yes", "on")
