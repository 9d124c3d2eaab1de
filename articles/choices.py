"""Choices shared by the models and their querysets."""

from django.db import models


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    AZERBAIJANI = "az", "Azerbaijani"
    TURKISH = "tr", "Turkish"
    RUSSIAN = "ru", "Russian"
    PERSIAN = "fa", "Persian"
    ARABIC = "ar", "Arabic"
    GEORGIAN = "ka", "Georgian"
    ARMENIAN = "hy", "Armenian"
    UKRAINIAN = "uk", "Ukrainian"
    FRENCH = "fr", "French"
    GERMAN = "de", "German"
    SPANISH = "es", "Spanish"
    KAZAKH = "kk", "Kazakh"
    UZBEK = "uz", "Uzbek"
    CHINESE = "zh", "Chinese"
    HUNGARIAN = "hu", "Hungarian"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
