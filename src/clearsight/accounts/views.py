"""Signing in and out: password, second factor, recovery codes, choosing a role,
invitations, and the user's own account page."""

from __future__ import annotations

import logging
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.access.decorators import get_actor
from clearsight.access.middleware import current_memberships
from clearsight.accounts import selectors, services, sessions
from clearsight.accounts.forms import (
    ApiTokenForm,
    ChooseMembershipForm,
    CodeForm,
    RecoveryCodeForm,
    SetPasswordForm,
    SignInForm,
)
from clearsight.accounts.models import RecoveryCodeDevice, User
from clearsight.accounts.redirects import second_factor_url, with_next
from clearsight.audit import services as audit
from clearsight.core.client_ip import client_ip
from clearsight.core.decorators import actor_not_required, mfa_not_required
from clearsight.core.errors import DomainError, InvalidInput

logger = logging.getLogger(__name__)

NEW_CODES_KEY = "clearsight_new_recovery_codes"
NEW_TOKEN_KEY = "clearsight_new_api_token"  # noqa: S105 - a session key name


def _next_url(request: HttpRequest, default: str = "core:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


# --- Password ------------------------------------------------------------------------


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this when an account or address is locked out."""
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    logger.info("Sign-in refused: locked out after repeated failures")
    form = SignInForm()
    form.lockout_message = (  # type: ignore[attr-defined]
        f"You have entered the wrong details too many times, so signing in is locked for "
        f"{minutes} minutes. Try again after {until:%H:%M}. If you have forgotten your "
        f"password, contact your area administrator."
    )
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "locked_out": True, "next": _next_url(request)},
        status=429,
    )


@login_not_required
@mfa_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and user.is_verified():
        return redirect(_next_url(request))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account: Any = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if account is None:
            logger.info("Sign-in failed: wrong email address or password")
            # Tied to the account when the email is one (so its area's DPO sees it); the
            # typed email itself is never stored.
            known = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            audit.record(action="signin.failed", user=known, ip_address=client_ip(request))
            form.add_error(None, "Enter a correct email address and password")
        elif not account.is_active:
            logger.info("Sign-in refused: account suspended (user id %s)", account.pk)
            audit.record(
                action="signin.refused_suspended", user=account, ip_address=client_ip(request)
            )
            form.add_error(
                None,
                "Your account has been suspended. Contact your area administrator "
                "if you think this is wrong.",
            )
        else:
            login(request, account)
            sessions.start(request.session, generation=account.session_generation)
            audit.record(
                action="signin.password_accepted", user=account, ip_address=client_ip(request)
            )
            return redirect(second_factor_url(account, _next_url(request)))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


# --- Second factor -------------------------------------------------------------------


def _code_was_reused(device: TOTPDevice, code: str) -> bool:
    if device.last_t is None or device.last_t < 0:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = device.t0 + device.last_t * device.step
    return f"{totp.token():0{device.digits}d}" == code


def _after_verification(request: HttpRequest) -> HttpResponse:
    return redirect(_next_url(request))


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_verified():
        return _after_verification(request)
    device = services.confirmed_totp_device(user)
    if device is None:
        return redirect("accounts:mfa-setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        allowed, info = device.verify_is_allowed()
        if not allowed:
            wait = _throttle_wait_seconds(info)
            form.add_error(
                "code",
                f"You have entered too many wrong codes. Wait {wait} seconds, then enter the "
                "code your app shows.",
            )
        elif device.verify_token(code):
            otp_login(request, device)
            audit.record(action="signin.mfa_verified", user=user, ip_address=client_ip(request))
            return _after_verification(request)
        elif _code_was_reused(device, code):
            logger.info("MFA code refused: already used (user id %s)", user.pk)
            form.add_error(
                "code",
                "This code has already been used. Wait for your app to show a new code, "
                "then enter that.",
            )
        else:
            logger.info("MFA code refused: not correct (user id %s)", user.pk)
            audit.record(action="signin.mfa_failed", user=user, ip_address=client_ip(request))
            form.add_error(
                "code",
                "The code is not correct. Enter the code your authenticator app shows now.",
            )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


def _throttle_wait_seconds(info: Any) -> int:
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return 30
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_recovery(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_verified():
        return _after_verification(request)
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            audit.record(
                action="signin.recovery_code_used", user=user, ip_address=client_ip(request)
            )
            remaining = device.remaining
            messages.warning(
                request,
                f"You signed in with a recovery code. You have {remaining} left. "
                "Get new codes from your account page, and ask your area administrator to "
                "reset your authenticator app if you have lost your phone.",
            )
            return _after_verification(request)
        audit.record(action="signin.recovery_code_failed", user=user, ip_address=client_ip(request))
        form.add_error("code", "This recovery code is not correct or has already been used")
    return render(request, "accounts/mfa_recovery.html", {"form": form, "next": _next_url(request)})


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if services.confirmed_totp_device(user) is not None:
        return redirect("accounts:account" if user.is_verified() else "accounts:mfa-verify")
    device = services.pending_totp_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_device(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            request.session[NEW_CODES_KEY] = codes
            return redirect(with_next("accounts:recovery-codes", _next_url(request)))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, omitsize=False)
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": _grouped(b32encode(device.bin_key).decode().rstrip("=")),
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


@actor_not_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows newly issued recovery codes once; POST issues a new set."""
    user: Any = request.user
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = services.issue_recovery_codes(user=user)
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:account")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


# --- Roles and sessions --------------------------------------------------------------


@actor_not_required
@require_http_methods(["GET", "POST"])
def choose_membership(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    memberships = current_memberships(user)
    choices = [
        (m.pk, f"{m.get_role_display()}, {m.agency.name} ({m.agency.area.name})")
        for m in memberships
    ]
    current = request.session.get(sessions.MEMBERSHIP_KEY)
    form = ChooseMembershipForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"membership": current},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
        request.session[sessions.MEMBERSHIP_KEY] = chosen.pk
        audit.record(action="membership.chosen", user=user, area=chosen.agency.area, target=chosen)
        messages.success(
            request, f"You are now acting as {chosen.get_role_display()}, {chosen.agency.name}."
        )
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/choose_membership.html",
        {"form": form, "next": _next_url(request), "has_memberships": bool(memberships)},
    )


@login_not_required
@mfa_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated:
        audit.record(action="signout", user=user)
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("core:start")


@actor_not_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.sign_out_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, "You have signed out of Clearsight on every device.")
    return redirect("accounts:login")


@mfa_not_required
@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    sessions.keep_alive(request.session)
    return HttpResponse(status=204)


@login_not_required
@mfa_not_required
@require_GET
def session_status(request: HttpRequest) -> HttpResponse:
    """Seconds until the idle timeout, without counting as activity, so a page left open
    in one tab does not sign out a user who is working in another."""
    user: Any = request.user
    if not user.is_authenticated:
        return JsonResponse({"seconds_left": 0})
    return JsonResponse({"seconds_left": sessions.seconds_left(request.session)})


@login_not_required
@mfa_not_required
def timed_out(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and sessions.seconds_left(request.session) > 0:
        # Still active in another tab: nothing to end.
        return redirect("core:home")
    if user.is_authenticated:
        audit.record(action="session.timed_out", user=user)
        logout(request)
    return render(
        request,
        "accounts/timed_out.html",
        {"minutes": settings.CLEARSIGHT_IDLE_TIMEOUT_MINUTES},
    )


@actor_not_required
def account(request: HttpRequest, token_form: ApiTokenForm | None = None) -> HttpResponse:
    user: Any = request.user
    recovery = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    context = {
        "memberships": current_memberships(user),
        "totp_device": services.confirmed_totp_device(user),
        "recovery_remaining": recovery.remaining if recovery else 0,
        "tokens": selectors.own_api_tokens(user=user),
        "token_form": token_form or ApiTokenForm(),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
    }
    return render(request, "accounts/account.html", context, status=400 if token_form else 200)


@require_POST
def create_api_token(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = services.issue_api_token(
                actor=get_actor(request),
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except InvalidInput as error:
            form.add_invalid_input(error.errors)
        else:
            request.session[NEW_TOKEN_KEY] = {"name": issued.token.name, "secret": issued.secret}
            return redirect(f"{reverse('accounts:account')}#api-tokens")
    return account(request, token_form=form)


@actor_not_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    token = selectors.own_api_tokens(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    services.revoke_api_token(user=user, token=token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect(f"{reverse('accounts:account')}#api-tokens")


# --- Invitations ---------------------------------------------------------------------


@login_not_required
@mfa_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token") or request.GET.get("token") or ""
    user: Any = request.user
    if user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", status=409)
    try:
        invitation = services.open_invitation(token)
    except services.InvitationError as error:
        logger.info("Invitation link refused")
        return render(
            request, "accounts/invitation_invalid.html", {"message": error.message}, status=410
        )
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account_user = services.accept_invitation(
                token=token, password=form.cleaned_data["password"]
            )
        except services.InvitationError as error:
            return render(
                request, "accounts/invitation_invalid.html", {"message": error.message}, status=410
            )
        except DomainError as error:
            form.add_error(error.field or "password", error.message)
        else:
            login(
                request,
                account_user,
                backend="django.contrib.auth.backends.AllowAllUsersModelBackend",
            )
            sessions.start(request.session, generation=account_user.session_generation)
            messages.success(request, "Your password is set. Now set up your authenticator app.")
            return redirect("accounts:mfa-setup")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation, "token": token},
    )
