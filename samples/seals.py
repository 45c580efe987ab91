"""Ink images: red official seals, handwritten signatures and hand-drawn ticks (RGBA, PIL).

Seals: the unit name along the upper arc, a five-pointed star in the middle,
optionally 专用章 text at the bottom; round or oval. Electronic seals are clean
and flat; stamped ones have uneven ink (low-frequency density field, speckle,
a slightly thicker or broken ring) in faded, pinkish or dark reds.
"""

from __future__ import annotations

import math
import random
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEAL_FONT = ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)
SEAL_FONT_BOLD = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)
HAND_FONT = ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)
INKS = {"red": (208, 28, 36), "faded": (226, 92, 96), "pink": (232, 84, 128), "dark": (160, 18, 30)}
PENS = {"blue": (22, 44, 150), "black": (28, 28, 36), "blueblack": (30, 40, 90)}


@cache
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size, index=index)


def _glyph(ch: str, size: int, bold: bool, squeeze: float) -> Image.Image:
    """One character as an L mask (ink = 255), squeezed horizontally as seal lettering is."""
    path, index = SEAL_FONT_BOLD if bold else SEAL_FONT
    fnt = _font(path, index, size)
    img = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(img).text((size, size), ch, font=fnt, fill=255, anchor="mm")
    img = img.crop(img.getbbox() or (0, 0, 1, 1))
    return img.resize((max(1, int(img.width * squeeze)), img.height), Image.Resampling.LANCZOS)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(90 + i * 36)
        points.append((cx + rr * math.cos(a), cy - rr * math.sin(a)))
    draw.polygon(points, fill=255)


def seal_mask(text: str, w: int, h: int, bottom: str = "", star: bool = True, bold: bool = False,
              rng: random.Random | None = None) -> Image.Image:
    """The seal's ink as an L image of size (w, h)."""
    rng = rng or random.Random(0)
    scale = 2  # supersample, then reduce: smooth edges
    W, H = w * scale, h * scale
    img = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(img)
    ring = max(2, int(min(W, H) * rng.uniform(0.028, 0.04)))
    draw.ellipse((ring // 2, ring // 2, W - ring // 2 - 1, H - ring // 2 - 1), outline=255, width=ring)
    oval = abs(w - h) > 2
    if oval:
        inner = int(ring * 2.2)
        draw.ellipse((inner, inner, W - inner, H - inner), outline=255, width=max(1, ring // 3))
    cx, cy = W / 2, H / 2
    chars = list(text)
    n = len(chars)
    size = int(min(W, H) * (0.15 if n <= 12 else 0.13 if n <= 16 else 0.11))
    span = min(250.0, 22.0 * n + 40) if not oval else min(200.0, 16.0 * n + 30)
    rx = W / 2 - ring - size * (0.72 if not oval else 1.25)
    ry = H / 2 - ring - size * (0.72 if not oval else 1.1)
    for i, ch in enumerate(chars):
        theta = 90 + span / 2 - (span * i / (n - 1) if n > 1 else span / 2)
        t = math.radians(theta)
        x, y = cx + rx * math.cos(t), cy - ry * math.sin(t)
        glyph = _glyph(ch, size, bold, 0.72 if n > 10 else 0.82).rotate(theta - 90, expand=True,
                                                                          resample=Image.Resampling.BICUBIC)
        img.paste(255, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    if star:
        _star(draw, cx, cy + (H * 0.02), min(W, H) * (0.16 if not oval else 0.12))
    if bottom:
        bsize = int(min(W, H) * 0.11)
        fnt = _font(*(SEAL_FONT_BOLD if bold else SEAL_FONT), bsize)
        draw.text((cx, cy + H * (0.25 if not oval else 0.22)), bottom, font=fnt, fill=255, anchor="mm")
    elif rng.random() < 0.4 and not oval:
        # The anti-forgery serial some seals carry at the bottom.
        fnt = _font(*SEAL_FONT, int(min(W, H) * 0.06))
        serial = "".join(rng.choice("0123456789") for _ in range(13))
        draw.text((cx, cy + H * 0.33), serial, font=fnt, fill=255, anchor="mm")
    return img.resize((w, h), Image.Resampling.LANCZOS)


def seal_image(text: str, w: int, h: int, rng: random.Random, electronic: bool, ink: str = "red",
               bottom: str = "") -> Image.Image:
    """An RGBA seal: flat for an electronic seal, uneven stamped ink otherwise."""
    mask = seal_mask(text, w, h, bottom=bottom, bold=rng.random() < 0.3, rng=rng)
    alpha = np.asarray(mask, dtype=np.float32) / 255.0
    if electronic:
        colour = (230, 0, 18) if rng.random() < 0.7 else (255, 0, 0)
        alpha = alpha * 0.95
    else:
        colour = INKS[ink]
        nrng = np.random.default_rng(rng.randrange(2**32))
        # Low-frequency density: heavier on one side, as when a stamp is pressed unevenly.
        coarse = nrng.uniform(0.35, 1.0, size=(6, 6)).astype(np.float32)
        field = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC),
                           dtype=np.float32) / 255.0
        gx = np.linspace(rng.uniform(0.55, 1.0), rng.uniform(0.55, 1.0), w, dtype=np.float32)[None, :]
        speckle = (nrng.random((h, w)) > rng.uniform(0.04, 0.16)).astype(np.float32)
        strength = {"faded": 0.7, "pink": 0.8}.get(ink, 0.92)
        alpha = np.clip(alpha * (0.45 + 0.55 * field) * gx * speckle * strength * 1.25, 0, 1)
        blurred = Image.fromarray((alpha * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
        alpha = np.asarray(blurred, dtype=np.float32) / 255.0
    rgba = np.zeros((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = (alpha * 255).astype(np.uint8)
    img = Image.fromarray(rgba, "RGBA")
    if not electronic:
        img = img.rotate(rng.uniform(-25, 25) if w == h else rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC)
    return img


def signature_image(name: str, w: int, h: int, rng: random.Random, pen: str = "blue") -> Image.Image:
    """A handwritten-looking signature: slanted, jittered 楷书 strokes joined by a flourish."""
    scale = 2
    W, H = w * scale, h * scale
    mask = Image.new("L", (W, H), 0)
    size = int(H * rng.uniform(0.62, 0.8))
    fnt = _font(*HAND_FONT, size)
    x = W * 0.04
    for ch in name:
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), ch, font=fnt, fill=255, anchor="mm")
        glyph = glyph.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)
        glyph = glyph.transform(glyph.size, Image.Transform.AFFINE, (1, 0.3, -size * 0.3, 0, 1, 0),
                                resample=Image.Resampling.BICUBIC)
        glyph = glyph.filter(ImageFilter.MaxFilter(3 if rng.random() < 0.6 else 1))
        y = H / 2 - size + rng.uniform(-H * 0.08, H * 0.08)
        mask.paste(255, (int(x - size * 0.45), int(y)), glyph)
        x += size * rng.uniform(0.62, 0.82)
    draw = ImageDraw.Draw(mask)
    if rng.random() < 0.7:
        pts = []
        x0, x1 = W * 0.1, min(W * 0.95, x + size * 0.3)
        y0 = H * rng.uniform(0.7, 0.85)
        for i in range(24):
            t = i / 23
            pts.append((x0 + (x1 - x0) * t, y0 - math.sin(t * math.pi * rng.uniform(0.8, 1.6)) * H * 0.12))
        draw.line(pts, fill=255, width=max(2, int(H * 0.035)), joint="curve")
    mask = mask.resize((w, h), Image.Resampling.LANCZOS)
    alpha = np.asarray(mask, dtype=np.float32) * rng.uniform(0.8, 0.95)
    rgba = np.zeros((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = PENS[pen]
    rgba[..., 3] = alpha.astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def tick_image(w: int, h: int, rng: random.Random, pen: str = "black") -> Image.Image:
    """A hand-drawn tick (or cross-like stroke) across a printed checkbox."""
    scale = 3
    img = Image.new("L", (w * scale, h * scale), 0)
    draw = ImageDraw.Draw(img)
    W, H = w * scale, h * scale
    pts = [(W * rng.uniform(0.05, 0.2), H * rng.uniform(0.45, 0.6)), (W * rng.uniform(0.3, 0.42), H * rng.uniform(0.85, 0.98)),
           (W * rng.uniform(0.85, 1.0), H * rng.uniform(0.0, 0.12))]
    draw.line(pts, fill=255, width=max(2, int(min(W, H) * 0.12)), joint="curve")
    mask = img.resize((w, h), Image.Resampling.LANCZOS)
    rgba = np.zeros((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = PENS[pen]
    rgba[..., 3] = np.asarray(mask)
    return Image.fromarray(rgba, "RGBA")
