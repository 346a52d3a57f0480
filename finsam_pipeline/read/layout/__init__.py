"""A PDF page's glyphs, or an OCR page's words, laid out as lines of text in which tables read.

`page` lays out one page; `rows` groups glyphs into runs and rows; `grid` writes the tables whose
cells the geometry places beyond doubt as tab rows; `typed` reads tables a word processor typed
with tab stops.
"""

from finsam_pipeline.read.layout.grid import Carried
from finsam_pipeline.read.layout.page import layout_page, layout_text
from finsam_pipeline.read.layout.rows import Glyph, Run
from finsam_pipeline.read.layout.typed import GOES_ON

__all__ = ["GOES_ON", "Carried", "Glyph", "Run", "layout_page", "layout_text"]
