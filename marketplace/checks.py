"""A deploy check: production enforces the Content-Security-Policy."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_content_security_policy(app_configs, **kwargs):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES", {})
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or directives.get(
        "default-src"
    ) != ["'self'"]:
        return [
            checks.Error(
                "The Content-Security-Policy is not enforced (report-only or missing).",
                hint="Production needs CSPMiddleware and CONTENT_SECURITY_POLICY "
                "with default-src 'self' (marketplace/settings/base.py).",
                id="marketplace.E001",
            )
        ]
    script = directives.get("script-src", [])
    if "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        return [
            checks.Error(
                "script-src allows inline or eval'd code.",
                hint="Give inline scripts the request's nonce instead.",
                id="marketplace.E002",
            )
        ]
    return []
