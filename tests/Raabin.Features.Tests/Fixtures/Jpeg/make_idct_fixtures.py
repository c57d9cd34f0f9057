#!/usr/bin/python3
"""Makes JPEGs whose dequantised coefficients leave the 16-bit range, to pin down libjpeg-turbo's IDCT there
(run once with Debian's python3: Pillow 9.4, numpy). Afterwards run make_golden.py.

Each file is encoded by Pillow at quality 100 (quantisation tables of ones, or nearly), then its DQT segments are
replaced by 16-bit tables holding the old values times a factor: the decoder then multiplies every stored
coefficient by that much more, so coefficient x quantiser far exceeds what a real encoder produces. The images:
a 37 x 23 crop of pbc/images/basophil/BA_100102.jpg (CC BY 4.0, Acevedo et al. 2020) at factors 6 and 40; a flat
colour (only DC coefficients); vertical stripes (only the first coefficient row, which libjpeg-turbo's SIMD IDCT
treats with a shortcut).

Usage: /usr/bin/python3 make_idct_fixtures.py /work/shared/datasets
"""
import io
import os
import struct
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def scale_dqt(data, factor, dc_factor=None):
    """Rewrites every DQT segment as 16-bit tables with each entry times factor (the DC entry times dc_factor)."""
    out = bytearray(data[:2])
    i = 2
    while True:
        marker = data[i + 1]
        length = (data[i + 2] << 8) | data[i + 3]
        segment = data[i + 4:i + 2 + length]
        if marker == 0xDB:
            tables = bytearray()
            j = 0
            while j < len(segment):
                pq, tq = segment[j] >> 4, segment[j] & 15
                n = 128 if pq else 64
                values = struct.unpack(">64H", segment[j + 1:j + 1 + n]) if pq else tuple(segment[j + 1:j + 1 + n])
                scaled = [min(65535, v * (dc_factor if (k == 0 and dc_factor) else factor)) for k, v in enumerate(values)]
                tables += bytes([0x10 | tq]) + struct.pack(">64H", *scaled)
                j += 1 + n
            out += b"\xff\xdb" + struct.pack(">H", 2 + len(tables)) + tables
        else:
            out += data[i:i + 2 + length]
        if marker == 0xDA:
            out += data[i + 2 + length:]
            return bytes(out)
        i += 2 + length


def encode(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=100, **options)
    return buffer.getvalue()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main(datasets):
    crop = Image.open(os.path.join(datasets, "pbc/images/basophil/BA_100102.jpg")).convert("RGB").crop((150, 160, 187, 183))
    base = encode(crop, subsampling=0)
    write("idct-overflow-x6-444.jpg", scale_dqt(base, 6))
    write("idct-overflow-x40-444.jpg", scale_dqt(base, 40))
    write("idct-overflow-x40-progressive-420.jpg", scale_dqt(encode(crop, subsampling=2, progressive=True), 40))
    flat = Image.new("RGB", (16, 16), (250, 20, 128))
    write("idct-overflow-dc-only.jpg", scale_dqt(encode(flat, subsampling=0), 1, dc_factor=40))
    stripes = np.zeros((16, 24, 3), dtype=np.uint8)
    stripes[:, ::2] = (240, 30, 200)
    stripes[:, 1::2] = (10, 220, 60)
    write("idct-overflow-first-row-only.jpg", scale_dqt(encode(Image.fromarray(stripes), subsampling=0), 12))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets")
