import re
import unicodedata

_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_DASHES = re.compile(r"[\s_-]+", re.UNICODE)


def korean_slugify(value: str, separator: str = "-") -> str:
    """Heading ids that keep Hangul: "파드란 무엇인가?" → "파드란-무엇인가".

    Python-Markdown's default slugify drops every non-ASCII letter, which would leave
    Korean headings with empty or numbered ids.
    """
    value = unicodedata.normalize("NFKC", str(value)).strip().lower()
    value = _DROP.sub("", value)
    return _DASHES.sub(separator, value).strip(separator)
