from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "clearsight.people"
    label = "people"
    verbose_name = "People"
