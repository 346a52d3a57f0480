"""Reading report files: finding and decoding them, the PDF text layer and its layout, OCR, normalised lines."""
