from tests.messaging.translation_servers import deepl, libretranslate  # noqa: F401
