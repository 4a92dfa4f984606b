"""Channel settings, read once from the environment (see .env.example)."""
from __future__ import annotations

import os
from dataclasses import dataclass

# The one reply a customer over the rate limit gets (their messages get no Rasa turns).
SLOW_DOWN = ("Aap ke messages bohat tezi se aa rahe hain; thori der ruk kar dobara likhein. / "
             "You are sending messages very fast; please wait a moment and write again.")


@dataclass(frozen=True)
class ChannelSettings:
    verify_token: str
    app_secret: str
    access_token: str
    phone_number_id: str
    graph_base_url: str
    graph_version: str
    state_url: str
    hooks_url: str
    internal_secret: str
    rate_per_second: float
    rate_limit: int = 10  # messages a customer may send per rate window before the slow-down reply
    rate_window_s: float = 30.0
    queue_limit: int = 50  # Rasa turns a customer may have waiting; beyond, messages are a flood too
    max_body: int = 1024 * 1024  # bytes a request to the Rasa server may carry (Meta's are a few KB)
    hooks_wait_s: float = 30.0  # at start, how long to wait for the app server to answer the ping

    @classmethod
    def from_env(cls) -> "ChannelSettings":
        data_dir = os.environ.get("SAUDA_DATA_DIR", ".sauda")
        return cls(
            verify_token=os.environ.get("WHATSAPP_VERIFY_TOKEN", ""),
            app_secret=os.environ.get("WHATSAPP_APP_SECRET", ""),
            access_token=os.environ.get("WHATSAPP_ACCESS_TOKEN", ""),
            phone_number_id=os.environ.get("WHATSAPP_PHONE_NUMBER_ID", ""),
            graph_base_url=os.environ.get("WHATSAPP_GRAPH_BASE_URL", "https://graph.facebook.com"),
            graph_version=os.environ.get("WHATSAPP_GRAPH_VERSION", "v21.0"),
            state_url=os.environ.get("WHATSAPP_STATE_URL", f"sqlite:///{data_dir}/channel.db"),
            hooks_url=os.environ.get("SAUDA_HOOKS_URL", ""),
            internal_secret=os.environ.get("SAUDA_INTERNAL_SECRET", ""),
            rate_per_second=float(os.environ.get("WHATSAPP_SEND_RATE", "80")),
            hooks_wait_s=float(os.environ.get("SAUDA_HOOKS_WAIT_S", "30")),
            max_body=int(os.environ.get("WHATSAPP_MAX_BODY", str(1024 * 1024))),
            rate_limit=int(os.environ.get("WHATSAPP_CUSTOMER_RATE", "10")),
            rate_window_s=float(os.environ.get("WHATSAPP_CUSTOMER_RATE_WINDOW_S", "30")),
            queue_limit=int(os.environ.get("WHATSAPP_CUSTOMER_QUEUE", "50")),
        )

    def missing(self) -> list[str]:
        """Names of required variables that are empty."""
        required = {
            "WHATSAPP_VERIFY_TOKEN": self.verify_token,
            "WHATSAPP_APP_SECRET": self.app_secret,
            "WHATSAPP_ACCESS_TOKEN": self.access_token,
            "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "SAUDA_HOOKS_URL": self.hooks_url,
            "SAUDA_INTERNAL_SECRET": self.internal_secret,
        }
        return [name for name, value in required.items() if not value]
