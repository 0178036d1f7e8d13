"""Responses with personal data are never cached: not by the browser, not by a proxy."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response of the site's views (pages, .xlsx, PDFs).

    Static files are served by whitenoise before this middleware and keep their long caching;
    everything else may carry personal data or depend on who asks, so nothing is stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
