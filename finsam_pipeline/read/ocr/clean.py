"""A scanned page turned straight before Tesseract reads it.

A page fed through a scanner a degree askew puts a table's label and its amounts at heights a few
pixels apart across the page; with a rule under every row Tesseract's lines came apart, labels were
read a row away from their amounts and a whole statement was lost. The skew is found as the angle
whose rows of ink stand sharpest (the variance of the ink per pixel row, a projection profile),
coarse to fine, and a page turned half a degree or more is turned back. It is judged away from the
page's edges: a scanner's black border along the top, straight to the image, had outweighed every row
of text and held five askew pages of the outside corpus's scans at 0°. The ink is judged as a mask, turned
without resampling: turning the grey image blurred small print below the ink level at every angle but 0,
and held half the pages of a set of noisy scans at 0°.

Taking the table rules out as well was measured and left alone: on the outside corpus's ten scans it
read 17 statement facts and 20 contributions fewer (a rule's remains read as `—` between rows, grid
cells run together), and on scans written by other hands it added nothing to turning the page.
"""

from __future__ import annotations

import numpy as np

INK = 128  # a grey level darker than this is ink
# degrees: a page turned less than this is read as it is. Turning blurs a little, and Tesseract reads a page
# half a degree askew as well unturned: turning every page past 0.2° read 3 wrong numbers and 5 facts fewer
# over six scanned sets than turning only past 0.5°, which read none wrong.
MIN_SKEW = 0.5
MAX_SKEW = 2.0  # degrees looked for either way; a page turned further is no slip of the scanner
# The skew is judged inside this share of the page's width and height from its edges: the scanner's dark border
# or the shadow of the page's edge is straight to the image, not to the print, and outweighs any row of text.
MARGIN = 0.03


def cleaned(image):
    """The grey page image turned straight; the same image where it is straight already."""
    from PIL import Image

    angle = skew(image)
    if abs(angle) < MIN_SKEW:
        return image
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=_paper(image))


def skew(image) -> float:
    """The angle (degrees, counter-clockwise) that turns the page's rows of ink straight; 0 for a page without."""
    from PIL import Image

    small = image.reduce(4) if min(image.size) >= 400 else image
    width, height = small.size
    small = small.crop(
        (round(MARGIN * width), round(MARGIN * height), round((1 - MARGIN) * width), round((1 - MARGIN) * height))
    )
    # the ink as a mask, turned without resampling: a blurring turn thins the ink of every angle but 0, and
    # had held askew pages with little text at 0°
    ink = Image.fromarray(((np.asarray(small) < INK) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        turned = ink.rotate(angle, resample=Image.NEAREST, fillcolor=0) if angle else ink
        return float(np.var((np.asarray(turned) > 0).sum(axis=1)))

    coarse = [step / 2 for step in range(int(-2 * MAX_SKEW), int(2 * MAX_SKEW) + 1)]
    best = max(coarse, key=lambda a: (sharpness(a), -abs(a)))
    fine = [round(best + step / 10, 1) for step in range(-4, 5) if abs(best + step / 10) <= MAX_SKEW]
    return max(fine, key=lambda a: (sharpness(a), -abs(a)))


def _paper(image) -> int:
    """The page's paper grey: the commonest level lighter than ink."""
    histogram = image.histogram()
    return int(max(range(INK, 256), key=lambda level: histogram[level]))
