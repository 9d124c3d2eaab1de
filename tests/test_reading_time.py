from articles.models import Article


def test_reading_time_is_words_over_pace_rounded_up(make_article):
    article = make_article(body="<p>" + "word " * 401 + "</p>")
    assert article.word_count == 401
    assert article.reading_minutes == 3


def test_reading_time_is_at_least_one_minute(make_article):
    assert make_article(body="<p>Short.</p>").reading_minutes == 1


def test_tags_are_not_counted_as_words(make_article):
    article = make_article(body='<p><a href="https://example.com/a-b-c">Two words</a></p>')
    assert article.word_count == 2


def test_pace_is_configurable(settings, make_article):
    settings.DIGEST_WORDS_PER_MINUTE = 100
    assert make_article(body="<p>" + "word " * 250 + "</p>").reading_minutes == 3
    assert Article.reading_minutes_for(250) == 3
