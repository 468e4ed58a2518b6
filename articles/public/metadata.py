"""Machine-readable descriptions of pages: schema.org JSON-LD for search engines."""

from urllib.parse import urljoin

from articles.public.imagery import article_images, publisher


def news_article_metadata(article, url: str, *, request, author=None) -> dict:
    """A schema.org NewsArticle; the template escapes it for the <script> element.
    `author` is the articles.models.Author behind the article's Kürzel, if known."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "alternativeHeadline": article.kicker,
        "description": article.lead,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "inLanguage": "de",
        "mainEntityOfPage": url,
        "url": url,
        "publisher": publisher(request),
        "keywords": [tag.name for tag in article.tags.all()],
    }
    images = article_images(request, article)
    if images:
        data["image"] = images
    if article.section:
        data["articleSection"] = article.section.name
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    if author is not None:
        data["author"] = {
            "@type": "Person",
            "name": author.name,
            "url": urljoin(url, author.get_absolute_url()),  # on the article's site
        }
        if author.role:
            data["author"]["jobTitle"] = author.role
    elif article.author_initials:
        data["author"] = {"@type": "Person", "name": article.author_initials}
    return data
