"""The public sign-in pages' views where Django's own need the site's address."""

from django.contrib.auth import views as auth_views
from django.views.generic.edit import FormView

from .chrome import site_identity


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the e-mail's link on the host the reader asked for
    (Django has checked it against ``ALLOWED_HOSTS``) and the site's name from its identity,
    not the Sites framework's "example.com"."""

    def form_valid(self, form):
        form.save(
            domain_override=self.request.get_host(),
            use_https=self.request.is_secure(),
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={"site_name": site_identity(self.request).name},
        )
        return FormView.form_valid(self, form)
