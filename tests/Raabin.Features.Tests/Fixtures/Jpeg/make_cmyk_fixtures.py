#!/usr/bin/python3
"""Makes the 4-component (CMYK / YCCK) JPEG fixtures (run once with Debian's python3: Pillow 9.4, libjpeg-turbo 2.1.5).

Pillow writes CMYK JPEGs the way Adobe applications do: an APP14 "Adobe" segment with transform 0 and inverted
samples. The other variants edit those bytes: the APP14 segment removed (libjpeg then assumes plain CMYK), or its
transform byte set to 2 (YCCK) or to 1 (libjpeg warns and assumes YCCK), which makes libjpeg read the same
components as Y, Cb, Cr, K. Source: pbc/images/basophil/BA_100102.jpg (CC BY 4.0, Acevedo et al. 2020).
Afterwards run make_golden.py, which hashes what cv2.imread returns for every fixture.

Usage: /usr/bin/python3 make_cmyk_fixtures.py /work/shared/datasets
"""
import io
import os
import sys

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def adobe_offset(data):
    """Offset of the APP14 marker (FF EE) whose payload starts with 'Adobe'."""
    i = 2
    while data[i] == 0xFF and data[i + 1] not in (0xDA, 0xD9):
        length = (data[i + 2] << 8) | data[i + 3]
        if data[i + 1] == 0xEE and data[i + 4:i + 9] == b"Adobe":
            return i
        i += 2 + length
    raise ValueError("no Adobe APP14 segment")


def with_transform(data, transform):
    at = adobe_offset(data)
    out = bytearray(data)
    out[at + 4 + 11] = transform      # payload: 'Adobe', version(2), flags0(2), flags1(2), transform(1)
    return bytes(out)


def without_adobe(data):
    at = adobe_offset(data)
    length = (data[at + 2] << 8) | data[at + 3]
    return data[:at] + data[at + 2 + length:]


def save(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main(datasets):
    source = Image.open(os.path.join(datasets, "pbc/images/basophil/BA_100102.jpg")).convert("RGB")
    small = source.crop((150, 160, 187, 183)).convert("CMYK")     # 37 x 23: partial MCUs
    large = source.crop((120, 130, 240, 220)).convert("CMYK")     # 120 x 90
    cmyk = save(small, quality=90)
    cmyk_sub = save(small, quality=90, subsampling=2)              # C sampled 2x2, M, Y, K 1x1
    write("cmyk-adobe-37x23.jpg", cmyk)
    write("cmyk-adobe-37x23-c2x2.jpg", cmyk_sub)
    write("cmyk-adobe-progressive-37x23.jpg", save(small, quality=90, progressive=True))
    write("cmyk-no-adobe-37x23.jpg", without_adobe(cmyk))
    write("ycck-adobe-37x23.jpg", with_transform(cmyk, 2))
    write("ycck-adobe-37x23-y2x2.jpg", with_transform(cmyk_sub, 2))
    write("ycck-adobe-transform1-37x23.jpg", with_transform(cmyk, 1))
    big = save(large, quality=85, subsampling=2)
    write("cmyk-adobe-120x90-c2x2.jpg", big)
    write("ycck-adobe-progressive-120x90.jpg", with_transform(save(large, quality=85, progressive=True), 2))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets")
