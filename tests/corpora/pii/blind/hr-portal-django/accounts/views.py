import json
import logging

from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from core.privacy import hash_value, mask_email

from .models import ApiToken, User

logger = logging.getLogger(__name__)


@csrf_protect
@require_POST
def login_view(request):
    email = request.POST.get("email", "").strip().lower()
    password = request.POST.get("password", "")
    remember = request.POST.get("remember_me") == "on"
    user = authenticate(request, email=email, password=password)
    if user is None:
        logger.info("login failed", extra={"email_masked": mask_email(email), "remember_me": remember})  # ok: PII
        logger.warning("login failed", extra={"email": email, "method": "password"})  # expect: PII
        logger.debug("login failed, submitted form: %s", request.POST.dict())  # expect: PII
        return JsonResponse({"detail": "invalid credentials"}, status=401)
    login(request, user)
    if not remember:
        request.session.set_expiry(0)
    logger.info("login ok", extra={"user_id": user.pk, "remember_me": remember})  # ok: PII
    return JsonResponse({"id": user.pk})


@login_required
@require_POST
def change_password(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest()
    if not request.user.check_password(data.get("old_password", "")):
        logger.warning(  # expect: PII
            "wrong old password for %s: tried %r",
            request.user.pk,
            data.get("old_password"),
        )
        return JsonResponse({"detail": "wrong password"}, status=400)
    request.user.set_password(data["new_password"])
    request.user.save(update_fields=["password", "password_changed_at"])
    update_session_auth_hash(request, request.user)
    logger.info("password changed for user %s", request.user.pk)  # ok: PII
    return JsonResponse({"ok": True})


@login_required
@require_POST
def create_api_token(request):
    token, raw_key = ApiToken.objects.create_token(user=request.user, name=request.POST.get("name", "default"))
    logger.info("api token %s created for user %s", token.pk, request.user.pk)  # ok: PII
    logger.info("api token created: %s", raw_key)  # expect: PII
    logger.debug("api_key_id=%s api_key_hash=%s", token.pk, hash_value(raw_key))  # ok: PII
    return JsonResponse({"id": token.pk, "key": raw_key}, status=201)


@login_required
def me(request):
    user: User = request.user
    print(f"me() called for {user.email}")  # expect: PII
    logger.debug("me() called, email_verified=%s phone_set=%s", user.email_verified, bool(user.phone))  # ok: PII
    return JsonResponse(
        {
            "id": user.pk,
            "email": user.email,
            "phone": user.phone,
            "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else None,
        }
    )


@login_required
@require_POST
def update_profile(request):
    user = request.user
    changes = {}
    for field in ("phone", "date_of_birth", "home_address"):
        if field in request.POST:
            changes[field] = request.POST[field]
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    logger.info("profile fields updated for %s: %s", user.pk, ", ".join(changes))  # ok: PII
    logger.info("user %s new date of birth %s", user.pk, user.date_of_birth)  # expect: PII
    logger.debug("profile now: %s", user.__dict__)  # expect: PII
    logger.debug("request meta: %s", request.META)  # expect: PII
    return JsonResponse({"ok": True})


@login_required
def sessions(request):
    logger.info("session list for %s, session key set=%s", request.user.pk, bool(request.session.session_key))  # ok: PII
    logger.debug("session key for %s: %s", request.user.pk, request.session.session_key)  # expect: PII
    return JsonResponse({"current": request.session.session_key is not None})
