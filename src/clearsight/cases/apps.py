from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "clearsight.cases"
    label = "cases"
    verbose_name = "Referrals, cases, MACE meetings and the National Referral Mechanism"
