"""How a printed, stamped page becomes the image an applicant uploads: scanners and phone cameras.

Every effect is a pure function of its inputs and a seeded `numpy.random.Generator`, so the same
seed gives the same pixels, and the geometric ones say exactly where they move the page
(`curl_source_x`, `phone_homography`) — tests check that.

Scanner profiles stand for the models applicants' offices use: resolution, colour/grey/1-bit,
optics blur (MTF), sensor noise, tone curve, JPEG quality, feeder skew; book scanners add page
curl with a dark shadow at the spine. Phone photos put the page on a desk, in perspective, under
uneven light.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

A4_PT = (595.28, 841.89)
CURL_ZONE = 0.3  # the part of the page's width next to the spine that lifts off the glass


@dataclass(frozen=True)
class ScannerProfile:
    name: str
    dpi: int
    mode: str  # colour | grey | dither (1-bit Floyd–Steinberg) | fax (1-bit threshold)
    blur: float  # optics: Gaussian sigma in pixels at `dpi`
    noise: float  # sensor noise, std in 0..255 levels
    gamma: float  # tone curve; > 1 darkens mid-tones (and thin grey rules)
    quality: int  # JPEG quality; unused for 1-bit
    skew_max: float  # degrees, document feeder
    curl: float = 0.0  # book scanner: how far the page lifts at the spine (0 = flat on the glass)
    # Faults of a scanner in daily use, drawn for `draw_scanner`'s profiles (the named ones have none).
    streaks: int = 0  # dust on the feeder's glass: thin lines down the whole page in the feed direction
    bleed: float = 0.0  # the reverse side's print showing through thin paper (its strength, 0..1)
    shading: float = 0.0  # the lamp's falloff: the share of brightness lost at one side of the page
    cast: tuple[float, float, float] = (1.0, 1.0, 1.0)  # the sensor's colour balance, per channel


SCANNERS: dict[str, ScannerProfile] = {p.name: p for p in (
    ScannerProfile("adf-colour-200", 200, "colour", 0.55, 3.0, 1.0, 55, 1.2),
    ScannerProfile("mfp-grey-150", 150, "grey", 0.75, 4.0, 1.15, 42, 1.6),
    ScannerProfile("flatbed-colour-300", 300, "colour", 1.0, 2.0, 0.9, 72, 0.4),
    ScannerProfile("adf-grey-240", 240, "grey", 0.7, 3.5, 1.25, 50, 2.0),
    ScannerProfile("copier-grey-200", 200, "grey", 0.9, 5.0, 0.85, 35, 1.0),
    ScannerProfile("mfp-dither-300", 300, "dither", 0.6, 3.0, 1.0, 0, 0.8),
    ScannerProfile("fax-bw-200", 200, "fax", 0.9, 6.0, 1.0, 0, 1.2),
    ScannerProfile("book-grey-240", 240, "grey", 0.8, 3.0, 1.1, 55, 0.3, curl=1.0),
    ScannerProfile("book-colour-200", 200, "colour", 0.7, 3.0, 1.0, 60, 0.3, curl=0.7),
)}


@dataclass(frozen=True)
class PhoneProfile:
    long_side: int = 2400  # pixels of the photo (WeChat-sized, not the sensor's)
    quality: int = 78
    fill: float = 0.8  # how much of the frame's short side the page takes
    tilt: float = 0.05  # corner jitter as a fraction of the frame (perspective)
    rotate_max: float = 6.0  # degrees
    blur: float = 1.0
    noise: float = 4.0


# Drawn profiles: each package through a scanner no named profile describes, so a corpus can test
# readings against capture settings nobody tuned on (the other producer's five scanner models are unknown).
DRAWN_DPIS = (150, 180, 200, 240, 300)
DRAWN_MODES = ("colour", "colour", "grey", "grey", "grey", "dither", "fax")
DRAWN_CURL_SHARE = 0.2  # of colour and grey drawn scans, the share made on a book scanner


def draw_scanner(rng: np.random.Generator) -> ScannerProfile:
    """A scanner profile drawn from wide ranges around the named ones, with its faults."""
    dpi = int(rng.choice(DRAWN_DPIS))
    mode = str(rng.choice(DRAWN_MODES))
    continuous = mode in ("colour", "grey")
    curl = float(rng.uniform(0.4, 1.0)) if continuous and rng.random() < DRAWN_CURL_SHARE else 0.0
    streaks = int(rng.integers(1, 4)) if rng.random() < 0.35 else 0
    bleed = float(rng.uniform(0.04, 0.14)) if rng.random() < 0.35 else 0.0
    shading = float(rng.uniform(0.04, 0.16)) if rng.random() < 0.5 else 0.0
    cast = (1.0, float(rng.uniform(0.95, 1.02)), float(rng.uniform(0.86, 1.0))) if mode == "colour" else (1.0, 1.0, 1.0)
    return ScannerProfile(
        f"drawn-{mode}-{dpi}", dpi, mode, blur=float(rng.uniform(0.4, 1.2)), noise=float(rng.uniform(1.0, 7.0)),
        gamma=float(rng.uniform(0.8, 1.35)), quality=int(rng.integers(30, 86)) if continuous else 0,
        skew_max=float(rng.uniform(0.2, 2.5)), curl=curl, streaks=streaks, bleed=bleed, shading=shading, cast=cast)


def draw_phone(rng: np.random.Generator) -> PhoneProfile:
    """A phone photo's settings drawn wider than the named phone captures': resolution, framing, tilt, light."""
    return PhoneProfile(long_side=int(rng.integers(1600, 3600)), quality=int(rng.integers(55, 91)),
                        fill=float(rng.uniform(0.6, 0.9)), tilt=float(rng.uniform(0.02, 0.08)),
                        rotate_max=float(rng.uniform(2.0, 10.0)), blur=float(rng.uniform(0.5, 1.6)),
                        noise=float(rng.uniform(2.0, 7.0)))


# ---------------------------------------------------------------- print


def print_page(page: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Laser print on office paper: a paper tint, toner density that is not quite uniform."""
    h, w = page.shape[:2]
    tint = np.array([rng.uniform(0.95, 1.0), rng.uniform(0.94, 0.99), rng.uniform(0.9, 0.97)], dtype=np.float32)
    coarse = rng.uniform(0.82, 1.0, size=(4, 3)).astype(np.float32)
    toner = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)[..., None]
    ink = 1.0 - page
    return np.clip((1.0 - ink * toner) * tint, 0, 1)


# ---------------------------------------------------------------- geometry


def curl_source_x(x: np.ndarray, width: int, strength: float, zone: float = CURL_ZONE) -> np.ndarray:
    """Book-scanner curl at the left (spine) edge: where output column x was on the flat page.

    Outside the curl zone nothing moves; inside it the lifted paper is foreshortened, so more of the
    page is squeezed into the columns next to the spine. Monotonic for strength ≤ 1, and the identity at
    the spine and at the zone's inner edge.
    """
    z = zone * width
    t = np.clip(1.0 - x / z, 0.0, 1.0)
    return x + strength * 0.12 * z * t ** 2 * (1 - t) * 4  # bump shape: 0 at both ends of the zone


def curl(page: np.ndarray, strength: float, rng: np.random.Generator, spine: str = "left") -> np.ndarray:
    """Cylindrical page curl with a dark shadow along the spine (book scanner, or a page not pressed flat)."""
    img = page if spine == "left" else page[:, ::-1]
    h, w = img.shape[:2]
    xs = np.arange(w, dtype=np.float32)
    src_x = curl_source_x(xs, w, strength).astype(np.float32)
    zone = CURL_ZONE * w
    t = np.clip(1.0 - xs / zone, 0.0, 1.0)
    # Lines bend near the spine: the lifted part sits higher and is vertically compressed.
    ys = np.arange(h, dtype=np.float32)
    cy = h / 2
    squeeze = 1.0 - strength * 0.06 * t ** 2
    lift = strength * 0.03 * h * t ** 2
    map_y = (cy + (ys[:, None] - cy) / squeeze[None, :] + lift[None, :]).astype(np.float32)
    map_x = np.broadcast_to(src_x[None, :], (h, w)).astype(np.float32)
    paper = np.median(img[::16, ::16].reshape(-1, img.shape[2]), axis=0)
    out = cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                    borderValue=tuple(float(v) for v in paper))
    edge = rng.uniform(0.015, 0.035) * w
    shadow = 1.0 - strength * (0.45 * t ** 3 + rng.uniform(0.35, 0.6) * np.exp(-xs / edge))
    out = out * np.clip(shadow, 0.05, 1.0)[None, :, None]
    return out if spine == "left" else out[:, ::-1]


def rotate(page: np.ndarray, degrees: float) -> np.ndarray:
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    paper = tuple(float(v) for v in np.median(page[::16, ::16].reshape(-1, page.shape[2]), axis=0))
    return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper)


# ---------------------------------------------------------------- the scanner


def show_through(page: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """The reverse side's print seen through the paper: mirrored, blurred by the paper, faint, a little offset
    (the sheet's own print stands in for its back)."""
    w = page.shape[1]
    back = 1.0 - page[:, ::-1].mean(axis=2)
    dx, dy = (int(v) for v in rng.integers(-w // 40, w // 40 + 1, size=2))
    back = np.roll(back, (dy, dx), axis=(0, 1))
    back = cv2.GaussianBlur(back.astype(np.float32), (0, 0), max(1.0, w / 1200))
    return page * (1.0 - strength * back)[..., None]


def lamp_shading(page: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Brightness falling off towards one side of the page (across the lamp, or along the feed)."""
    h, w = page.shape[:2]
    across = rng.random() < 0.5
    n = w if across else h
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32) ** 2
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    light = 1.0 - share * ramp
    return page * (light[None, :, None] if across else light[:, None, None])


def glass_streaks(page: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Dust on the feeder's glass: thin lines, darker or lighter, down the whole page in the feed direction."""
    out = page.copy()
    w = page.shape[1]
    for _ in range(count):
        x = int(rng.integers(0, w - 4))
        width = int(rng.integers(1, 4))
        tone = float(rng.uniform(0.55, 0.9)) if rng.random() < 0.8 else float(rng.uniform(1.05, 1.2))
        out[:, x:x + width] = np.clip(out[:, x:x + width] * tone, 0, 1)
    return out


def _paper_faults(page: np.ndarray, profile: ScannerProfile, rng: np.random.Generator) -> np.ndarray:
    return show_through(page, profile.bleed, rng) if profile.bleed else page


def _scanner_faults(page: np.ndarray, profile: ScannerProfile, rng: np.random.Generator) -> np.ndarray:
    img = lamp_shading(page, profile.shading, rng) if profile.shading else page
    if profile.cast != (1.0, 1.0, 1.0):
        img = img * np.asarray(profile.cast, dtype=np.float32)[None, None, :]
    return glass_streaks(img, profile.streaks, rng) if profile.streaks else img


def scanner(page: np.ndarray, profile: ScannerProfile, rng: np.random.Generator) -> tuple[Image.Image, float]:
    """A printed page (float RGB 0..1 at profile.dpi) through the scanner; returns the image and its skew."""
    img = _paper_faults(page, profile, rng)
    if profile.curl:
        img = curl(img, profile.curl * rng.uniform(0.7, 1.0), rng, spine="left" if rng.random() < 0.5 else "right")
    skew = round(float(rng.uniform(-profile.skew_max, profile.skew_max)), 2)
    if abs(skew) > 0.01:
        img = rotate(img, skew)
    img = _scanner_faults(img, profile, rng)
    if profile.blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), profile.blur)
    img = np.clip(img, 0, 1) ** profile.gamma
    noise = rng.normal(0, profile.noise / 255, size=img.shape[:2]).astype(np.float32)[..., None]
    img = np.clip(img + noise, 0, 1)
    rgb = Image.fromarray((img * 255).astype(np.uint8), "RGB")
    if profile.mode == "colour":
        return rgb, skew
    grey = rgb.convert("L")
    if profile.mode == "grey":
        return grey, skew
    # 1-bit scanners set their white point on the paper first: the page's tint and noise go white.
    levels = np.asarray(grey, dtype=np.float32)
    white, black = np.percentile(levels[::4, ::4], (90, 0.5))
    stretched = np.clip((levels - black) / max(1.0, white - black - 8), 0, 1) * 255
    grey = Image.fromarray(stretched.astype(np.uint8), "L")
    if profile.mode == "dither":
        return grey.convert("1", dither=Image.Dither.FLOYDSTEINBERG), skew
    # Fax-like: one global threshold (thin strokes break, grey rules vanish or turn solid).
    level = int(rng.uniform(150, 185))
    return grey.point(lambda v: 255 if v > level else 0).convert("1", dither=Image.Dither.NONE), skew


# ---------------------------------------------------------------- the phone


def desk(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A desk seen from above: wood grain, a grey laminate or a dark cloth (float RGB)."""
    w, h = size
    kind = rng.choice(("wood", "laminate", "cloth"))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        base = np.array([rng.uniform(0.45, 0.65), rng.uniform(0.3, 0.42), rng.uniform(0.18, 0.28)], dtype=np.float32)
        grain = 0.08 * np.sin(yy / rng.uniform(6, 14) + 3 * np.sin(xx / rng.uniform(80, 200)))
    elif kind == "laminate":
        base = np.full(3, rng.uniform(0.55, 0.8), dtype=np.float32)
        grain = np.zeros((h, w), np.float32)
    else:
        base = np.array([rng.uniform(0.1, 0.25), rng.uniform(0.12, 0.25), rng.uniform(0.15, 0.3)], dtype=np.float32)
        grain = 0.03 * np.sin(xx / 3.0) * np.sin(yy / 3.0)
    coarse = rng.normal(0, 0.03, size=(h // 8 + 1, w // 8 + 1)).astype(np.float32)
    texture = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(base[None, None, :] * (1 + grain + texture)[..., None], 0, 1)


def phone_corners(page_size: tuple[int, int], frame: tuple[int, int], profile: PhoneProfile,
                  rng: np.random.Generator) -> np.ndarray:
    """Where the page's corners (TL, TR, BR, BL) land in the photo."""
    pw, ph = page_size
    fw, fh = frame
    scale = profile.fill * min(fw / pw, fh / ph)
    w, h = pw * scale, ph * scale
    angle = np.radians(rng.uniform(-profile.rotate_max, profile.rotate_max))
    cx, cy = fw / 2 + rng.uniform(-0.04, 0.04) * fw, fh / 2 + rng.uniform(-0.03, 0.03) * fh
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    placed = corners @ rot.T + [cx, cy]
    # Perspective: the camera is not square to the page; the far edge comes out shorter.
    jitter = rng.uniform(-profile.tilt, profile.tilt, size=(4, 2)) * [fw, fh]
    far = rng.uniform(0.0, profile.tilt) * w
    placed[0, 0] += far
    placed[1, 0] -= far
    return (placed + jitter).astype(np.float32)


def phone_homography(page_size: tuple[int, int], corners: np.ndarray) -> np.ndarray:
    pw, ph = page_size
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    return cv2.getPerspectiveTransform(src, corners.astype(np.float32))


def lighting(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Uneven light: a gradient from the window side, vignetting, sometimes the phone's own shadow."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * (xx / w - 0.5) + np.sin(angle) * (yy / h - 0.5))
    light = 1.0 + rng.uniform(0.15, 0.35) * ramp
    r2 = ((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) / 0.5
    light *= 1.0 - rng.uniform(0.1, 0.3) * r2
    if rng.random() < 0.4:
        sx, sy, sr = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h, rng.uniform(0.15, 0.3) * w
        light *= 1.0 - rng.uniform(0.1, 0.25) * np.exp(-((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * sr ** 2))
    return light.astype(np.float32)


def phone_photo(page: np.ndarray, profile: PhoneProfile, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """A phone photo of a page lying on a desk; returns the photo and the homography page → photo pixels."""
    ph, pw = page.shape[:2]
    portrait = rng.random() < 0.85
    frame = (round(profile.long_side * 0.75), profile.long_side) if portrait else (
        profile.long_side, round(profile.long_side * 0.75))
    corners = phone_corners((pw, ph), frame, profile, rng)
    hom = phone_homography((pw, ph), corners)
    warped = cv2.warpPerspective(page, hom, frame, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), hom, frame, flags=cv2.INTER_LINEAR)
    # The page casts a soft shadow on the desk.
    shadow = cv2.GaussianBlur(mask, (0, 0), frame[0] * 0.008)
    background = desk(frame, rng) * (1 - 0.35 * shadow[..., None])
    img = warped * mask[..., None] + background * (1 - mask[..., None])
    img = img * lighting(frame, rng)[..., None]
    warm = np.array([1.0, rng.uniform(0.96, 1.0), rng.uniform(0.86, 0.97)], dtype=np.float32)
    img = cv2.GaussianBlur(np.clip(img * warm, 0, 1).astype(np.float32), (0, 0), profile.blur)
    img = np.clip(img + rng.normal(0, profile.noise / 255, size=img.shape).astype(np.float32), 0, 1)
    return Image.fromarray((img * 255).astype(np.uint8), "RGB"), hom


# ---------------------------------------------------------------- storage


def jpeg(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True, subsampling=2)
    return buf.getvalue()


def bilevel_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """1-bit pages as a PDF of CCITT G4 images, as fax and 1-bit scan software store them."""
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return buf.getvalue()


def page_size_pt(img: Image.Image, dpi: float) -> tuple[float, float]:
    return img.width * 72 / dpi, img.height * 72 / dpi
