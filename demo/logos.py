"""Demo pages' logos: the page's initials on a colour picked from its name, drawn with Pillow
(no image files shipped, the same logo for the same name every time)."""

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

SIZE = 200
COLOURS = [
    (10, 102, 194),
    (0, 122, 94),
    (176, 65, 36),
    (112, 63, 160),
    (196, 134, 0),
    (34, 87, 122),
    (158, 28, 84),
    (60, 110, 60),
]


def initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def draw_logo(name: str) -> bytes:
    """A square WebP logo for `name`."""
    digest = hashlib.sha256(name.encode()).digest()
    colour = COLOURS[digest[0] % len(COLOURS)]
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=88)
    text = initials(name)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (SIZE - (right - left)) / 2 - left
    y = (SIZE - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80)
    return out.getvalue()
