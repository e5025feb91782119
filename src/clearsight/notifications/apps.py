from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "clearsight.notifications"
    label = "notifications"
    verbose_name = "Notifications"
