"""Reads a TrueType subset with fontTools (PyPI) and checks it against the font it was cut from.

  truetype_subset.py FULL SUBSET TEXT   prints JSON: the subset's glyph count, tables and
                                        indexToLocFormat; whether every table's checksum and the
                                        file's checkSumAdjustment are right; and the characters
                                        of TEXT the full font draws whose outline (composites
                                        decomposed) and advance width no glyph of the subset has

Anything fontTools logs while reading (a loca longer than the glyphs, say) is printed as
"warnings", so that a test can ask for none.
"""
import io
import json
import logging
import struct
import sys

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

log = io.StringIO()
logging.basicConfig(stream=log, level=logging.WARNING)

full_path, subset_path, text = sys.argv[1], sys.argv[2], sys.argv[3]
with open(subset_path, "rb") as file:
    data = file.read()

# checkChecksums=2 makes fontTools raise on a table whose checksum is wrong, as each is read.
subset = TTFont(subset_path, checkChecksums=2)
for tag in subset.keys():
    subset[tag]
padded = data + b"\0" * (-len(data) % 4)
total = sum(struct.unpack(">%dI" % (len(padded) // 4), padded)) & 0xFFFFFFFF

full = TTFont(full_path)


def outlines(font):
    glyph_set = font.getGlyphSet()
    result = {}
    for name in font.getGlyphOrder():
        pen = DecomposingRecordingPen(glyph_set)
        glyph_set[name].draw(pen)
        result[name] = (repr(pen.value), font["hmtx"][name][0])
    return result


kept = set(outlines(subset).values())
full_outlines = outlines(full)
cmap = full.getBestCmap()
missing = [c for c in dict.fromkeys(text) if ord(c) in cmap and full_outlines[cmap[ord(c)]] not in kept]

print(json.dumps({
    "glyphs": subset["maxp"].numGlyphs,
    "tables": sorted(subset.keys()),
    "indexToLocFormat": subset["head"].indexToLocFormat,
    "file_checksum_ok": total == 0xB1B0AFBA,
    "missing": missing,
    "warnings": log.getvalue(),
}, ensure_ascii=False))
