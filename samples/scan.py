"""Turning a clean rendered page into a plausible scan.

Order follows the physical process: paper tint, then ink put on the printout
(seals multiplied over the print, signatures, hand ticks), then the scanner
(fold shadow, skew, blur, sensor noise, dust), then storage (greyscale,
rotation by a multiple of 90°, JPEG).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from samples import seals
from samples.layout import Mark
from samples.render import stable_seed


@dataclass
class ScanOptions:
    dpi: int = 200
    grey: bool = False
    quality: int = 70
    ink: str = "red"
    pen: str = "blue"
    noise: float = 4.0
    blur: float = 0.4
    fold: bool = False
    skew_max: float = 1.5


def ink_image(mark: Mark, scale: float, rng: random.Random, electronic: bool, ink: str, pen: str) -> Image.Image:
    """The RGBA ink of a mark at `scale` pixels per point."""
    x0, y0, x1, y1 = mark.bbox
    w, h = max(4, round((x1 - x0) * scale)), max(4, round((y1 - y0) * scale))
    if mark.kind == "seal":
        # One stamp per unit: the same seal shape on every page, the ink differs per impression.
        shape_rng = random.Random(stable_seed(mark.text, mark.shape, mark.bottom))
        img = seals.seal_image(mark.text, w, h, shape_rng, electronic=electronic, ink=ink, bottom=mark.bottom)
        if not electronic:
            img = _reink(img, rng)
        return img
    if mark.kind == "signature":
        return seals.signature_image(mark.text, w, h, random.Random(stable_seed(mark.text, "sig", rng.random())), pen)
    return seals.tick_image(w, h, rng, pen="black" if rng.random() < 0.5 else pen)


def _reink(img: Image.Image, rng: random.Random) -> Image.Image:
    arr = np.asarray(img).copy()
    nrng = np.random.default_rng(rng.randrange(2**32))
    coarse = nrng.uniform(0.55, 1.0, size=(5, 5)).astype(np.float32)
    field = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize(img.size, Image.Resampling.BICUBIC),
                       dtype=np.float32) / 255.0
    arr[..., 3] = np.clip(arr[..., 3].astype(np.float32) * field, 0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGBA").rotate(rng.uniform(-8, 8), resample=Image.Resampling.BICUBIC)


def multiply(base: np.ndarray, ink: Image.Image, x: int, y: int) -> None:
    """Multiply-blend RGBA `ink` onto float RGB `base` (0..1) at (x, y), clipped to the page."""
    arr = np.asarray(ink, dtype=np.float32) / 255.0
    h, w = arr.shape[:2]
    H, W = base.shape[:2]
    bx0, by0, bx1, by1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if bx0 >= bx1 or by0 >= by1:
        return
    part = arr[by0 - y: by1 - y, bx0 - x: bx1 - x]
    a = part[..., 3:4]
    base[by0:by1, bx0:bx1] *= 1 - a + a * part[..., :3]


def degrade(img: Image.Image, marks: list[Mark], opts: ScanOptions, rng: random.Random,
            rotation: int, skew: float) -> bytes:
    """The scanned page as JPEG bytes: `img` is the clean page rendered at opts.dpi."""
    scale = opts.dpi / 72
    base = np.asarray(img, dtype=np.float32) / 255.0
    tint = np.array([rng.uniform(0.95, 1.0), rng.uniform(0.94, 0.99), rng.uniform(0.9, 0.97)], dtype=np.float32)
    base = base * tint
    for mark in marks:
        ink = ink_image(mark, scale, rng, electronic=False, ink=opts.ink, pen=opts.pen)
        multiply(base, ink, round(mark.bbox[0] * scale), round(mark.bbox[1] * scale))
    H, W = base.shape[:2]
    if opts.fold:
        # A soft shadow along the fold, horizontal or vertical.
        if rng.random() < 0.5:
            centre, axis, length = rng.uniform(0.4, 0.6) * H, 0, H
        else:
            centre, axis, length = rng.uniform(0.4, 0.6) * W, 1, W
        pos = np.arange(length, dtype=np.float32)
        shade = 1 - rng.uniform(0.08, 0.2) * np.exp(-((pos - centre) / (rng.uniform(8, 30) * scale)) ** 2)
        base *= shade[:, None, None] if axis == 0 else shade[None, :, None]
    if rng.random() < 0.5:
        # Darker margin where the page did not lie flat on the glass.
        edge = np.linspace(rng.uniform(0.9, 0.97), 1.0, max(2, int(W * 0.05)), dtype=np.float32)
        base[:, : edge.size] *= edge[None, :, None]
    paper = tuple(int(255 * t) for t in tint)
    out = Image.fromarray(np.clip(base * 255, 0, 255).astype(np.uint8), "RGB")
    if abs(skew) > 0.01:
        out = out.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    # Sensor noise and dust, then the optics' blur (which also keeps the JPEG small).
    nrng = np.random.default_rng(rng.randrange(2**32))
    arr = np.asarray(out, dtype=np.int16)
    noise = nrng.normal(0, opts.noise, size=arr.shape[:2])[..., None]
    arr = arr + noise.astype(np.int16)
    specks = nrng.random(arr.shape[:2]) < 0.00015
    arr[specks] = nrng.integers(40, 120)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    if opts.blur > 0:
        out = out.filter(ImageFilter.GaussianBlur(opts.blur))
    if opts.grey:
        out = out.convert("L")
    if rotation:
        out = out.rotate(-rotation, expand=True)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=opts.quality, optimize=True, subsampling=2)
    return buf.getvalue()


def blank_page(opts: ScanOptions, rng: random.Random) -> bytes:
    """A blank sheet fed through the scanner."""
    size = (round(595.28 * opts.dpi / 72), round(841.89 * opts.dpi / 72))
    img = Image.new("RGB", size, (246, 244, 238))
    return degrade(img, [], opts, rng, 0, 0.0)
