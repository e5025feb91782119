"""User management for area administrators: invite, roles, line managers, suspend and
reactivate.

Administrators manage accounts; by that role alone they never see children's records."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clearsight.access.decorators import get_actor, requires
from clearsight.access.policy import assignable_agencies
from clearsight.access.roles import Capability, Role
from clearsight.accounts import selectors, services
from clearsight.accounts.forms import InviteForm, LineManagerForm, RoleFields, SuspendForm
from clearsight.accounts.models import User
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.core.errors import DomainError

logger = logging.getLogger(__name__)


@requires(Capability.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    context = {
        "rows": selectors.area_users(actor=actor),
        "invitations": selectors.area_invitations(actor=actor),
    }
    audit.record(action="users.listed", actor=actor)
    return render(request, "accounts/admin/user_list.html", context)


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = InviteForm(
        request.POST if request.method == "POST" else None, agencies=assignable_agencies(actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.invite_user(
                actor=actor,
                email=data["email"],
                full_name=data["full_name"],
                agency=data["agency"],
                role=data["role"],
            )
        except DomainError as error:
            logger.info("Invitation refused: %s", error.field or "form")
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                f"Invitation sent to {issued.invitation.email}. The link works for "
                f"{(issued.invitation.expires_at - issued.invitation.created_at).days} days.",
            )
            return redirect("accounts:user-list")
    context = {"form": form, "days": settings.CLEARSIGHT_INVITATION_DAYS}
    return render(request, "accounts/admin/invite.html", context)


def _managed_user_or_404(request: HttpRequest, pk: int) -> User:
    user = selectors.managed_user(actor=get_actor(request), pk=pk)
    if user is None:
        raise Http404("No such user in your area")
    return user


def _line_manager_form(
    request: HttpRequest, user: User, roles: list[Membership], data: object = None
) -> LineManagerForm:
    managers = selectors.line_manager_choices(actor=get_actor(request), user=user)
    return LineManagerForm(
        data,
        roles=[(m.pk, f"{m.get_role_display()}, {m.agency.name}") for m in roles if m.is_current],
        managers=[
            (m.pk, f"{m.user.full_name}, {m.get_role_display()}, {m.agency.name}") for m in managers
        ],
    )


@requires(Capability.MANAGE_USERS)
def user_detail(
    request: HttpRequest,
    pk: int,
    role_form: RoleFields | None = None,
    suspend_form: SuspendForm | None = None,
    line_manager_form: LineManagerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = get_actor(request)
    user = _managed_user_or_404(request, pk)
    audit.record(action="user.viewed", actor=actor, target=user)
    roles = selectors.user_area_roles(actor=actor, user=user)
    context = {
        "managed": user,
        "roles": roles,
        "role_form": role_form or RoleFields(agencies=assignable_agencies(actor)),
        "suspend_form": suspend_form or SuspendForm(),
        "line_manager_form": line_manager_form or _line_manager_form(request, user, roles),
        "is_self": user.pk == actor.user.pk,
    }
    return render(request, "accounts/admin/user_detail.html", context, status=status)


@requires(Capability.MANAGE_USERS)
@require_POST
def add_role(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    user = _managed_user_or_404(request, pk)
    form = RoleFields(request.POST, agencies=assignable_agencies(actor))
    if form.is_valid():
        try:
            membership = services.add_membership(
                actor=actor,
                user=user,
                agency=form.cleaned_data["agency"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                f"{user.full_name} is now {Role(membership.role).label}, {membership.agency.name}.",
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return user_detail(request, pk, role_form=form, status=400)


@requires(Capability.MANAGE_USERS)
@require_POST
def end_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    actor = get_actor(request)
    membership = selectors.area_membership(actor=actor, pk=membership_pk)
    if membership is None or membership.user_id != pk:
        raise Http404("No such role in your area")
    try:
        services.end_membership(actor=actor, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Role removed: {membership}.")
    return redirect("accounts:user-detail", pk=pk)


@requires(Capability.MANAGE_USERS)
@require_POST
def set_line_manager(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    user = _managed_user_or_404(request, pk)
    roles = selectors.user_area_roles(actor=actor, user=user)
    form = _line_manager_form(request, user, roles, request.POST)
    if form.is_valid():
        try:
            membership = services.set_line_manager(
                actor=actor,
                user=user,
                membership_id=form.cleaned_data["membership"],
                line_manager_id=form.cleaned_data["line_manager"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            manager = membership.line_manager
            messages.success(
                request,
                f"{user.full_name}'s line manager as {membership.get_role_display()} is now "
                f"{manager.user.full_name}."
                if manager
                else f"{user.full_name} has no line manager as {membership.get_role_display()}.",
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return user_detail(request, pk, line_manager_form=form, status=400)


@requires(Capability.MANAGE_USERS)
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    user = _managed_user_or_404(request, pk)
    form = SuspendForm(request.POST)
    if form.is_valid():
        try:
            services.suspend_user(actor=actor, user=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(
                request, f"{user.full_name}'s account is suspended and their sessions have ended."
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return user_detail(request, pk, suspend_form=form, status=400)


@requires(Capability.MANAGE_USERS)
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    user = _managed_user_or_404(request, pk)
    try:
        services.reactivate_user(actor=actor, user=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{user.full_name}'s account is active again.")
    return redirect("accounts:user-detail", pk=user.pk)


@requires(Capability.MANAGE_USERS)
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    invitation = selectors.area_invitation(actor=actor, pk=pk)
    if invitation is None:
        raise Http404("No such invitation in your area")
    try:
        issued = services.resend_invitation(actor=actor, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A new invitation has been sent to {issued.invitation.email}.")
    return redirect("accounts:user-list")


@requires(Capability.MANAGE_USERS)
@require_POST
def withdraw_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    invitation = selectors.area_invitation(actor=actor, pk=pk)
    if invitation is None:
        raise Http404("No such invitation in your area")
    try:
        services.withdraw_invitation(actor=actor, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("accounts:user-list")
