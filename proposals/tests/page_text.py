"""Reading the proposal pages in tests."""


def titles_in(body: str, *titles: str) -> list[str]:
    """The given titles in the order they appear on the page (absent ones left out)."""
    return sorted((title for title in titles if title in body), key=body.index)
