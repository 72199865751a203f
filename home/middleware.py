from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, reverse


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the visitor picked another language with the language switch.

    The browser's Accept-Language is ignored: the pages' own content is Dutch, so following an
    English phone setting would give residents a half-English page they did not ask for.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, sending ``settings.CONTENT_SECURITY_POLICY_ADMIN`` under the admin.

    The public pages get the strict ``CONTENT_SECURITY_POLICY``; every path under the Wagtail
    admin's URL (wherever the host mounts it, found by reversing ``wagtailadmin_home``) gets the
    admin's own policy, because Wagtail's templates and django-leaflet's drawing widget use inline
    scripts and styles. Choosing by path keeps that relaxation off every public page, the admin's
    page preview included in the admin. A view's own ``@csp_update``/``@csp_replace`` decorators
    still apply on top of either policy.

    PDF responses (the participation report, documents) get no policy: Chrome shows a PDF as a
    plugin inside the response's own document, so ``object-src 'none'`` would leave it blank.
    A PDF runs no script of ours, so nothing is lost.
    """

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and self._is_admin(request):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts

    @staticmethod
    def _is_admin(request) -> bool:
        try:
            prefix = reverse("wagtailadmin_home")
        except NoReverseMatch:
            return False
        return request.path.startswith(prefix)


class PermissionsPolicyMiddleware:
    """Send ``settings.PERMISSIONS_POLICY`` as the Permissions-Policy header.

    The setting maps a browser feature to the origins allowed to use it: ``[]`` for none
    (``camera=()``), ``["self"]`` for this site (``geolocation=(self)``), or origins such as
    ``"https://kaart.example.nl"`` (quoted in the header, as its syntax asks). A response that
    set the header itself keeps its own.
    """

    KEYWORDS = {"self", "*", "src"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(self._item(origin) for origin in allowed)})"
            for feature, allowed in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def _item(self, origin: str) -> str:
        return origin if origin in self.KEYWORDS else f'"{origin}"'

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
