from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = "地域移行・地域定着ピアサポート活動促進事業"
