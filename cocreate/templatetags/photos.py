"""``{% picture photo "grid" alt="…" %}``: a processed photo at the size the page shows it.

Each place a page shows photos at names the widest copy it needs and how wide it shows it (the
``sizes`` attribute), so that a phone downloads a 320 px WebP for a thumbnail where it used to
get the 480 px JPEG, and a wide screen the 1280 px copy of a photo across the page. The markup is
a ``<picture>``: the WebP copies in a ``<source>``, the JPEG copies in the ``<img>``'s
``srcset`` for browsers without WebP, and the thumbnail (or the image) as its ``src``. An image
processed before the copies existed is shown as it was, its thumbnail alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from cocreate.images import ProcessedImage

register = template.Library()


@dataclass(frozen=True)
class Place:
    widest: int  # the widest copy offered
    sizes: str  # how wide the page shows the photo, for the browser to choose among the copies
    fallback: str  # the address an <img> without srcset shows: "thumbnail_url" or "image_url"


# The widths match static/css/site.css: .report-thumb (96 px), .photos img (20rem), and
# .proposal-image in main's 60rem (1rem of padding each side).
PLACES = {
    "list": Place(320, "96px", "thumbnail_url"),
    "grid": Place(640, "(max-width: 22rem) calc(100vw - 2rem), 20rem", "thumbnail_url"),
    "page": Place(1280, "(max-width: 60rem) calc(100vw - 2rem), 58rem", "image_url"),
}


def _srcset(photo: ProcessedImage, widths: list[int], extension: str) -> str:
    return ", ".join(f"{photo.variant_url(width, extension)} {width}w" for width in widths)


@register.inclusion_tag("_picture.html")
def picture(
    photo: ProcessedImage, place: str, alt: str = "", css_class: str = "", width: int | None = None, height=None
) -> dict[str, object]:
    """The photo for ``place`` (``list``, ``grid`` or ``page``); ``width`` and ``height`` set its box."""
    shown = PLACES[place]
    widths = [each for each in photo.variant_widths if each <= shown.widest]
    if widths and width is None and photo.width and photo.height:
        # The largest copy's proportions, so the page keeps the photo's room while it loads.
        width, height = widths[-1], round(photo.height * widths[-1] / photo.width)
    elif not widths and width is None and place == "page":
        width, height = photo.width, photo.height
    return {
        "src": getattr(photo, shown.fallback),
        "webp_srcset": _srcset(photo, widths, "webp") if widths else "",
        "jpeg_srcset": _srcset(photo, widths, "jpg") if widths else "",
        "sizes": shown.sizes,
        "alt": alt,
        "css_class": css_class,
        "width": width,
        "height": height,
    }
