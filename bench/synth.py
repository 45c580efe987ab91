"""Synthetic scanned pages with known truth, for tests and for measurement before a real corpus exists.

A page is drawn upright at `dpi` with a CJK font (paragraphs, an optional ruled table,
an optional red round seal over the text), then "scanned": skewed by `skew_deg`
(counter-clockwise positive), turned clockwise by `rotation`, greyed, shadowed at the
fold and noised.  `SynthPage.text` is what a perfect reader would return.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

SAMPLE_TEXT = (
    "本单位自愿申报第二批制造业数字化转型促进中心，提交的所有申报材料均真实、准确、完整。"
    "本单位近三年无不良信用记录，无较大及以上安全、环保等事故，且无其他违法违规行为。"
    "数促中心面向机械、汽车、电子信息制造等行业，为区域内中小企业提供评估咨询、方案开发、"
    "项目实施、供需对接、设施联通、数据共享、人才培养、政策宣贯等数字化转型专业服务。"
    "2025年服务企业120家，合同额3560.5万元，组织人才培养900人次。"
)


def cjk_font(size_px: int) -> ImageFont.FreeTypeFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size_px)
    raise FileNotFoundError("no CJK font found under /usr/share/fonts")


@dataclass
class SynthPage:
    image: Image.Image
    lines: list[str] = field(default_factory=list)
    rotation: int = 0
    skew_deg: float = 0.0
    seal_box_px: tuple[int, int, int, int] | None = None  # upright page pixels, before skew/rotation

    @property
    def text(self) -> str:
        return "".join(self.lines)


def _wrap(text: str, per_line: int) -> list[str]:
    return [text[i : i + per_line] for i in range(0, len(text), per_line)]


def draw_seal(size_px: int, text: str = "数字科技有限公司") -> Image.Image:
    """A red round official seal (RGBA): ring, star and text along the upper arc."""
    seal = Image.new("RGBA", (size_px, size_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (225, 30, 35, 215)
    ring = max(3, size_px // 30)
    draw.ellipse((ring, ring, size_px - ring, size_px - ring), outline=red, width=ring)
    centre = size_px / 2
    star_r = size_px * 0.13
    points = []
    for k in range(10):
        radius = star_r if k % 2 == 0 else star_r * 0.4
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    font = cjk_font(max(8, size_px // 8))
    for k, char in enumerate(text):
        angle = math.radians(-150 + k * 120 / max(1, len(text) - 1))
        radius = size_px * 0.36
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        glyph = Image.new("RGBA", (size_px // 6, size_px // 6), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), char, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC, expand=True)
        seal.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    return seal


def _multiply_seal(page: Image.Image, seal: Image.Image, at: tuple[int, int]) -> None:
    """Ink is subtractive: black text under red ink stays black (multiply, not paste)."""
    region = page.crop((at[0], at[1], at[0] + seal.width, at[1] + seal.height))
    base = np.asarray(region, dtype=np.float32) / 255.0
    rgba = np.asarray(seal, dtype=np.float32) / 255.0
    alpha = rgba[..., 3:4]
    ink = 1.0 - alpha * (1.0 - rgba[..., :3])
    page.paste(Image.fromarray((base * ink * 255).astype(np.uint8)), at)


def draw_page(
    dpi: int = 200,
    title: str = "附1 真实性承诺",
    body: str = SAMPLE_TEXT,
    table: list[list[str]] | None = None,
    seal: bool = True,
) -> SynthPage:
    """An upright, clean A4 page in colour."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    px = dpi / 72.0
    margin = int(72 * px)
    title_font, body_font = cjk_font(int(16 * px)), cjk_font(int(12 * px))
    lines = [title]
    draw.text((width / 2 - len(title) * 8 * px, margin), title, font=title_font, fill="black")
    y = margin + int(40 * px)
    per_line = int((width - 2 * margin) / (12 * px))
    for line in _wrap(body, per_line):
        draw.text((margin, y), line, font=body_font, fill="black")
        lines.append(line)
        y += int(22 * px)
    seal_box = None
    if table:
        y += int(20 * px)
        col_w = (width - 2 * margin) // len(table[0])
        row_h = int(26 * px)
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                x0, y0 = margin + c * col_w, y + r * row_h
                draw.rectangle((x0, y0, x0 + col_w, y0 + row_h), outline="black", width=max(1, int(px)))
                draw.text((x0 + 6 * px, y0 + 6 * px), cell, font=body_font, fill="black")
                lines.append(cell)
        y += len(table) * row_h
    if seal:
        size = int(120 * px)
        at = (width - margin - size, margin + int(60 * px))
        _multiply_seal(page, draw_seal(size), at)
        seal_box = (at[0], at[1], at[0] + size, at[1] + size)
    return SynthPage(image=page, lines=lines, seal_box_px=seal_box)


def scan(
    page: SynthPage,
    rotation: int = 0,
    skew_deg: float = 0.0,
    grey_paper: bool = False,
    fold_shadow: bool = False,
    noise: float = 0.0,
    seed: int = 0,
) -> SynthPage:
    """Degrade an upright page as a scanner would; the result carries its own truth."""
    rng = random.Random(seed)
    image = page.image.rotate(skew_deg, resample=Image.Resampling.BICUBIC, expand=False, fillcolor="white")
    array = np.asarray(image, dtype=np.float32)
    if grey_paper:
        array = 70 + array * 0.62  # washed-out contrast: paper ~228, ink ~70
    if fold_shadow:
        w = array.shape[1]
        xs = np.arange(w, dtype=np.float32)
        shadow = 1.0 - 0.45 * np.exp(-(((xs - w * 0.5) / (w * 0.04)) ** 2))
        array = array * shadow[None, :, None]
    if noise:
        np_rng = np.random.default_rng(rng.randrange(1 << 30))
        array = array + np_rng.normal(0, noise, array.shape).astype(np.float32)
    image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.4))
    if rotation:
        image = image.rotate(-rotation, expand=True)  # PIL turns counter-clockwise; stored = upright turned clockwise
    return SynthPage(image=image, lines=page.lines, rotation=rotation, skew_deg=skew_deg, seal_box_px=page.seal_box_px)


BASIC_INFO_TABLE = [
    ["牵头单位名称", "杭州数智科技有限公司"],
    ["统一社会信用代码", "91330100MA2B3C4D5E"],
    ["注册资本", "5000万元"],
]


# --- pages as a phone or a book scanner sees them (known geometry, for the flattening) ---


def desk(width: int, height: int, seed: int = 0) -> np.ndarray:
    """A wood-coloured desk (RGB): brown with grain along x and fine noise."""
    rng = np.random.default_rng(seed)
    ys = np.arange(height, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    grain = 0.5 + 0.5 * np.sin(ys / 7.0 + 3.0 * np.sin(xs / 90.0))
    base = np.array([125.0, 88.0, 58.0], dtype=np.float32)
    array = base[None, None, :] * (0.85 + 0.2 * grain[..., None]) + rng.normal(0, 6, (height, width, 3))
    return np.clip(array, 0, 255).astype(np.uint8)


def light_gradient(array: np.ndarray, strength: float) -> np.ndarray:
    """Light falling off from the top-left corner to `1 - strength` of it at the bottom-right."""
    height, width = array.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    fall = 1.0 - strength * (xs / width + ys / height) / 2.0
    shaded = array.astype(np.float32) * (fall[..., None] if array.ndim == 3 else fall)
    return np.clip(shaded, 0, 255).astype(np.uint8)


def photograph(
    page: np.ndarray, corners: np.ndarray, size: tuple[int, int], light: float = 0.35, seed: int = 0
) -> np.ndarray:
    """The page (RGB) as a phone photographs it: mapped by the homography that takes its corners to
    `corners` (TL TR BR BL, px of the photo) onto a desk of `size` (width, height), lit unevenly."""
    height, width = page.shape[:2]
    source = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    warped = cv2.warpPerspective(page, matrix, size, flags=cv2.INTER_AREA)
    inside = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, size)
    photo = desk(size[0], size[1], seed)
    photo[inside > 127] = warped[inside > 127]
    photo = light_gradient(photo, light)
    return cv2.GaussianBlur(photo, (3, 3), 0.6)


def curl_offset(width: int, height: int, depth_px: float, spine_share: float = 0.4) -> np.ndarray:
    """Rows' vertical offset (px) on a page curling off a book scanner's glass at its left edge:
    the page lifts like a cylinder towards the spine, height ((L - x) / L)^2 * depth within L of it,
    which the lens shows as lines sagging, more so towards the foot (fanning out)."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    reach = spine_share * width
    lift = depth_px * np.clip((reach - xs) / reach, 0.0, 1.0) ** 2
    return lift * (1.0 + 0.5 * (ys - height / 2) / (height / 2))


def book_scan(page: np.ndarray, depth_px: float, shadow: float = 0.6, spine_share: float = 0.4) -> np.ndarray:
    """The page curled by `curl_offset` with a dark shadow along its spine edge (RGB or grey)."""
    height, width = page.shape[:2]
    offset = curl_offset(width, height, depth_px, spine_share)
    map_x = np.broadcast_to(np.arange(width, dtype=np.float32), (height, width)).copy()
    map_y = np.arange(height, dtype=np.float32)[:, None] - offset  # a point at y shows at y + offset
    curled = cv2.remap(page, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    xs = np.arange(width, dtype=np.float32)
    darkening = 1.0 - shadow * np.exp(-xs / (0.035 * width))
    shaded = curled.astype(np.float32) * (darkening[None, :, None] if curled.ndim == 3 else darkening[None, :])
    return np.clip(shaded, 0, 255).astype(np.uint8)
