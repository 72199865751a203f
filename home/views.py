from django.shortcuts import render
from django.template import loader
from django.http import HttpResponseServerError


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request context: the failure may lie in a context processor. The
    # nonce alone lets the page's inline style pass the Content-Security-Policy.
    context = {"csp_nonce": getattr(request, "csp_nonce", "")}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
