"""E-mail addresses from outside (the subscribe form, an imported list): normalised, or
refused with a message a reader understands. Never a crash, never a header injection."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_LENGTH = 254  # RFC 5321's limit on a forward path


def address_normalize(raw):
    """*raw* as stored: trimmed, lower-case, the domain in ASCII (IDNA: "bakı.az" becomes
    "xn--bak-lua.az"). Raises ValidationError with a clear message otherwise."""
    value = str(raw or "").strip()
    if not value:
        raise ValidationError("Enter your e-mail address.", code="required")
    if any(char in value for char in "\r\n\0"):
        raise ValidationError(
            "An e-mail address cannot contain line breaks.", code="header_injection"
        )
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            f"That address is {len(value)} characters long; an e-mail address has at most "
            f"{MAX_LENGTH}.",
            code="too_long",
        )
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError("Enter an address like name@example.com.", code="invalid")
    if not local.isascii():
        raise ValidationError(
            "The part before @ may only use Latin letters, digits and . _ + - characters.",
            code="invalid",
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(
            f"“{domain}” is not a valid domain name.", code="invalid_domain"
        ) from None
    address = f"{local}@{ascii_domain}".lower()
    if len(address) > MAX_LENGTH:
        raise ValidationError(
            f"That address is longer than {MAX_LENGTH} characters once its domain is encoded.",
            code="too_long",
        )
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError("Enter an address like name@example.com.", code="invalid") from None
    return address
