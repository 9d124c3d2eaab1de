"""WordPress: its export (WXR) and uploads folder into Digest (issue 17).

`wxr` reads the export as a stream, `autop` and `body` make its bodies Digest's, `importer`
maps every item through the shared pipeline (`articles.importers.pipeline`) and the services.
"""

from .importer import (
    ACTIONS,
    KINDS,
    WordPressError,
    WordPressImport,
    WordPressOptions,
)
from .wxr import NotWxrError

__all__ = [
    "ACTIONS",
    "KINDS",
    "NotWxrError",
    "WordPressError",
    "WordPressImport",
    "WordPressOptions",
]
