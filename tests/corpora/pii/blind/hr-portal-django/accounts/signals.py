"""Auth-related signal handlers: security log + lockout bookkeeping.

USERNAME_FIELD is ``email`` for accounts.User, so failed-login credentials
carry the email address.
"""
import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.privacy import hash_value, mask_email

from .models import LoginAttempt, User

security_log = logging.getLogger("hr.security")


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    LoginAttempt.objects.create(user=user, succeeded=True, user_agent=request.META.get("HTTP_USER_AGENT", "")[:255])
    security_log.info("login ok user_id=%s mfa=%s", user.pk, user.mfa_enabled)  # ok: PII
    security_log.debug("login session for %s, cookie %s", user.pk, request.COOKIES.get("sessionid"))  # expect: PII


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        security_log.info(f"logout: {user}")  # expect: PII


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = credentials.get("email", "")
    LoginAttempt.objects.create(email_hash=hash_value(email), succeeded=False)
    recent = LoginAttempt.objects.recent_failures(hash_value(email)).count()
    security_log.warning("failed login for %s (%d recent failures)", email, recent)  # expect: PII
    security_log.warning("failed login for %s (%d recent failures)", mask_email(email), recent)  # ok: PII
    if recent >= 5:
        security_log.error("locking account after %d failures, email_hash=%s", recent, hash_value(email))  # ok: PII


@receiver(post_save, sender=User)
def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created:
        security_log.info("user created id=%s staff=%s", instance.pk, instance.is_staff)  # ok: PII
        security_log.debug("new user record %s", instance.__dict__)  # expect: PII
    elif update_fields and "password" in update_fields:
        security_log.info(  # ok: PII
            "password changed for user %s at %s",
            instance.pk,
            instance.password_changed_at,
        )
        security_log.debug("new password hash for %s: %s", instance.pk, instance.password)  # expect: PII


def send_password_reset(user, request):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(f"/accounts/reset/{uid}/{token}/")
    user.email_user("Reset your HR portal password", f"Use this link to reset your password: {link}")
    security_log.info(f"password reset email sent to user {user.pk}")  # ok: PII
    security_log.debug("password reset link for %s: %s", user.pk, link)  # expect: PII
