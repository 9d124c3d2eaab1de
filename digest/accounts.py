"""Sign-in pages' forms (issue 16): password-reset mail to one address is rate-limited."""

import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache


class RateLimitedPasswordResetForm(PasswordResetForm):
    """At most ``DIGEST_PASSWORD_RESETS_PER_HOUR`` reset mails to one address an hour: past
    that the form answers as always ("if the address is known, a mail is on its way") and
    sends nothing, so nobody can flood an inbox or learn whether an address has an account."""

    def save(self, *args, **kwargs):
        email = self.cleaned_data["email"].strip().casefold()
        key = "password-reset:" + hashlib.sha256(email.encode()).hexdigest()
        cache.add(key, 0, 3600)
        try:
            sent = cache.incr(key)
        except ValueError:  # the cache is away (or the count just expired): count this one
            sent = 1
        if sent > settings.DIGEST_PASSWORD_RESETS_PER_HOUR:
            return None
        return super().save(*args, **kwargs)
