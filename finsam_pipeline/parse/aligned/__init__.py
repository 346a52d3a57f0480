"""Space-aligned tables (PDF layout text, `pdftotext -layout`, aligned .txt) as tab rows.

PDF text comes out of `extract.layout_text` with each glyph near its x position, so a
table's cells are runs of text separated by two or more spaces. The content parsers
read tab and pipe cells; `tabulate_aligned` turns each block of space-aligned lines
into tab rows with one cell per column (empty cells kept), so one parser per table kind
reads a table from text and from PDF alike.

How a block is read, by general rules only:

- A block is a run of lines with two or more cells, allowing blank lines and short
  one-cell lines (section rows, wrapped cells) inside it; a header-like line after rows
  with amounts starts the next block. Its header is the lines before the first row with
  an amount (a table of words: its first line); the body is the rest.
- Columns are the runs of positions the body's cells cover, split by gutters: positions
  blank in (nearly) all body rows. Text is measured short (PDF layout text overruns its
  width on the page), a cell two spaces after a long text may have been pushed right and
  counts only where nothing surer stands, two close columns no row fills both of are one
  (drifted amounts), and when pushes blur the gutters the cells of the commonest full
  row, in order, are the columns. Cells standing wholly in a gutter belong to the column
  beside them (text reaches right to its amounts, amounts left) unless a line has cells in
  both: then they are a column of their own (`Intäkt` over empty cells). A line with two
  cells in one column splits it (a header at once, body rows when several agree).
- Each line's cells go to columns left to right by overlap (amount columns reach left to
  their neighbour, text columns right; left-aligned text starts where its column does).
  Body cells printed one space apart across a gutter are split between an amount and a
  text (`445 Se förklaringar …`).
- PDF layout starts every line at its first glyph, so a line's first cell may have lost
  its indentation: a year or amount like its neighbour goes just left of it, a word
  heads the first column after the labels, and under a header line the text it most
  surely continues decides.
- A cell wrapped over several lines is joined when the text shows it: left open (a
  hyphen, comma or joining word, an open parenthesis, a lower-case start, a scrap such
  as `M`) or the next word would not have fit in the column. Header lines join into the
  header's last line; body lines join into the row's first line, where its amounts are.
  A line as full as the row above is a row, a capitalised line under a total heads the
  next group, and under the table only open text continues. Joined lines are left
  blank, so line numbers and pages stay as they were and facts keep their source line.

Lines already delimited by tabs or pipes, and lines outside any block, are returned unchanged.

Modules: `table` finds blocks and writes them as tab rows; `cells` splits a line into cells;
`columns` finds a block's columns and assigns cells to them; `joins` joins wrapped cells.
"""

from finsam_pipeline.parse.aligned.table import tabulate_aligned

__all__ = ["tabulate_aligned"]
