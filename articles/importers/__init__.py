"""Parsers that turn files into `ParsedArticle`s, one module per format, and the shared
pipeline that saves them through `articles.services`."""
