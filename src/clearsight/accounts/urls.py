from django.urls import path

from clearsight.accounts import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("sign-in/recovery-code/", views.mfa_recovery, name="mfa-recovery"),
    path("sign-in/set-up-authenticator/", views.mfa_setup, name="mfa-setup"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-out/everywhere/", views.sign_out_everywhere, name="logout-everywhere"),
    path("signed-out/", views.timed_out, name="timed-out"),
    path("session/keep-alive/", views.keepalive, name="keepalive"),
    path("session/status/", views.session_status, name="session-status"),
    path("role/", views.choose_membership, name="choose-membership"),
    path("account/", views.account, name="account"),
    path("account/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("account/api-tokens/", views.create_api_token, name="create-api-token"),
    path("account/api-tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke-api-token"),
    path("invitations/accept/", views.accept_invitation, name="accept-invitation"),
    path("users/", admin_views.user_list, name="user-list"),
    path("users/invite/", admin_views.invite, name="invite"),
    path("users/<int:pk>/", admin_views.user_detail, name="user-detail"),
    path("users/<int:pk>/roles/", admin_views.add_role, name="add-role"),
    path("users/<int:pk>/roles/<int:membership_pk>/end/", admin_views.end_role, name="end-role"),
    path("users/<int:pk>/line-manager/", admin_views.set_line_manager, name="set-line-manager"),
    path("users/<int:pk>/suspend/", admin_views.suspend, name="suspend"),
    path("users/<int:pk>/reactivate/", admin_views.reactivate, name="reactivate"),
    path("invitations/<int:pk>/resend/", admin_views.resend_invitation, name="resend-invitation"),
    path(
        "invitations/<int:pk>/withdraw/",
        admin_views.withdraw_invitation,
        name="withdraw-invitation",
    ),
]
