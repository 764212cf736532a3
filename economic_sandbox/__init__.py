"""economic_sandbox: a stateful Visma e-conomic look-alike on loopback (stdlib only).

from economic_sandbox import Sandbox
with Sandbox(seed="demo") as sb:
    sb.info  # {"rest_url", "apis_url", "app_secret_token", "agreement_grant_token", "admin_url"}
"""

from .server import APP_SECRET, GRANT, Sandbox

__all__ = ["Sandbox", "APP_SECRET", "GRANT"]
