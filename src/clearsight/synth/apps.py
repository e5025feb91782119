from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "clearsight.synth"
    label = "synth"
    verbose_name = "Synthetic data"
