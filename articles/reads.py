"""Which readings count for the most-read lists: a page's own beacon, sent by a reader's
browser (static/js/site.js), never a crawler's, a script's or the newsroom's.

Only the request's headers are looked at, and nothing of them is kept."""

import re

# Crawlers, link previews, monitors, audits and scripts name themselves in their User-Agent.
NOT_A_READER = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|preview|facebookexternalhit|embedly|whatsapp|"
    r"telegram|skype|headless|phantomjs|lighthouse|pagespeed|pingdom|uptime|monitor|"
    r"python|curl|wget|httpie|go-http|okhttp|java/|libwww|axios|node-fetch|scrapy",
    re.IGNORECASE,
)


def is_a_reading(request) -> bool:
    """Whether *request* is a reader's browser counting the page it shows: a browser's
    User-Agent that names no robot, the request sent by the site's own page (the browser
    says ``Sec-Fetch-Site: same-origin``; without that header, an ``Origin`` of this
    site), and nobody signed in to the newsroom."""
    agent = request.headers.get("User-Agent", "")
    if not agent.startswith("Mozilla/") or NOT_A_READER.search(agent):
        return False
    site = request.headers.get("Sec-Fetch-Site")
    if site is None:
        origin = request.headers.get("Origin", "")
        if origin != f"{request.scheme}://{request.get_host()}":
            return False
    elif site != "same-origin":
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)
