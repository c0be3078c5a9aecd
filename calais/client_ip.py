"""The client's IP address as django-axes should see it, behind zero or more trusted proxies.

Each reverse proxy appends the address it received the request from to X-Forwarded-For, so with
N trusted proxies the client's real address is the Nth entry from the right; anything further
left was written by the client and cannot be trusted. Without proxies it is REMOTE_ADDR.
"""

from django.conf import settings


def client_ip_address(request):
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= proxy_count:
            return addresses[-proxy_count]
    return request.META.get("REMOTE_ADDR")
