"""APP004: CSRF protection switched off."""

from __future__ import annotations

from prodready_lint.sdk import NOT_LITERAL, Context, PythonFile, Rule, Severity, literal

from ._common import decorator_span, development_settings, is_false, not_served

_CSRF_EXEMPT = frozenset({"django.views.decorators.csrf.csrf_exempt"})
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
_SESSION_MIDDLEWARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)


class CsrfProtectionDisabled(Rule):
    """CSRF protection is switched off.

    ## What it does
    Checks for CSRF protection turned off: a Django `MIDDLEWARE` list that has sessions
    or authentication but not `CsrfViewMiddleware`, views decorated with (or wrapped in)
    `@csrf_exempt`, Flask-WTF's `WTF_CSRF_ENABLED = False` (as a setting or in
    `app.config`), and WTForms forms whose `Meta` sets `csrf = False`.

    ## Why is this bad?
    A browser sends the session cookie with requests that other sites make: without a
    CSRF token any page a logged-in user visits can post forms to the application in the
    user's name (change the e-mail, transfer money, delete data).

    ## Example
    ```python
    from django.http import JsonResponse
    from django.views.decorators.csrf import csrf_exempt


    @csrf_exempt
    def update_profile(request):
        request.user.email = request.POST["email"]
        request.user.save()
        return JsonResponse({"ok": True})
    ```

    ## Use instead
    ```python
    from django.http import JsonResponse
    from django.views.decorators.http import require_POST


    @require_POST
    def update_profile(request):
        request.user.email = request.POST["email"]
        request.user.save()
        return JsonResponse({"ok": True})
    ```

    ## Notes
    A `@csrf_exempt` endpoint that authenticates each request by other means (a webhook
    checking a signature, an API taking only bearer tokens) is safe: suppress the finding
    there with the reason (`# prodready: ignore[APP004] -- signed webhook`). Settings for
    development and tests, and test files, are not checked.
    """

    id = "APP004"
    name = "csrf-protection-disabled"
    summary = "CSRF protection switched off"
    checklist = ("cors-csrf",)
    severity = Severity.MEDIUM
    cwe = (352,)
    triggers = ("csrf", "CSRF", "MIDDLEWARE")
    references = ("https://docs.djangoproject.com/en/stable/ref/csrf/",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        if not_served(file.path):
            return
        for function in file.functions:
            for decorator in function.decorators:
                if set(getattr(decorator, "qualnames", ()) or ()) & _CSRF_EXEMPT:
                    span = decorator_span(file, function.span.line, "csrf_exempt") or function.span
                    ctx.report(
                        span,
                        f"@csrf_exempt on {function.name}: any site can submit this view as the logged-in user; "
                        "keep CSRF on or authenticate the request another way",
                    )
        for call in file.calls:
            if set(call.qualnames) & _CSRF_EXEMPT and call.args:
                ctx.report(call, "csrf_exempt(...) switches CSRF protection off for this view")
        if development_settings(file.path):
            return
        for assignment in file.assignments:
            target = assignment.target
            name = target.name if target.kind in ("name", "attribute") else target.key
            if name == "WTF_CSRF_ENABLED" and is_false(assignment.value):
                if assignment.scope == "class" and "test" in assignment.scope_name.lower():
                    continue
                ctx.report(assignment.span, "WTF_CSRF_ENABLED = False switches Flask-WTF's CSRF protection off")
            elif (
                name == "csrf"
                and target.kind == "name"
                and assignment.scope == "class"
                and assignment.scope_name.endswith(".Meta")
                and literal(assignment.value) is False
            ):
                ctx.report(assignment.span, "csrf = False in a form's Meta switches its CSRF token off")
            elif (
                name in ("MIDDLEWARE", "MIDDLEWARE_CLASSES") and target.kind == "name" and assignment.scope == "module"
            ):
                middleware = literal(assignment.value)
                if middleware is NOT_LITERAL or not isinstance(middleware, (list, tuple)):
                    continue
                if any(m in middleware for m in _SESSION_MIDDLEWARE) and _CSRF_MIDDLEWARE not in middleware:
                    ctx.report(
                        assignment.span,
                        f"{name} has sessions but not {_CSRF_MIDDLEWARE}: no view is protected against CSRF",
                    )
