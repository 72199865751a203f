from django.middleware.locale import LocaleMiddleware


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the visitor picked another language with the language switch.

    The browser's Accept-Language is ignored: the pages' own content is Dutch, so following an
    English phone setting would give residents a half-English page they did not ask for.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
