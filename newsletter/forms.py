from django import forms

from articles.models import Category

from .addresses import address_normalize


class SectionsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Category.objects.in_menu().top_level().order_by("menu_order", "name"),
            required=False,
            **kwargs,
        )


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label="Your e-mail address", max_length=400, strip=True,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "name@example.com"}),
    )  # fmt: skip
    categories = SectionsField(
        label="Only these sections (optional)",
        help_text="Leave all unticked for the whole daily digest.",
    )
    # The honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    website = forms.CharField(required=False, label="Leave this empty")

    def clean_email(self):
        return address_normalize(self.cleaned_data["email"])


class PreferencesForm(forms.Form):
    categories = SectionsField(
        label="Sections", help_text="Leave all unticked for the whole daily digest."
    )
    paused = forms.BooleanField(
        required=False, label="Pause the digest for now (nothing is sent until you untick it)"
    )
