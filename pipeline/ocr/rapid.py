"""RapidOCR's det/rec pipeline (PP-OCR models as ONNX; which ones: `pipeline.ocr.weights`): the
models ship inside installed wheels, nothing is downloaded.

A page is read by our own loop over RapidOCR's parts (detector, crops, recogniser, word
boxes) rather than by `RapidOCR.__call__`, because the recogniser's cost depends on how
it is fed (measured on one core, docs/reading.md):

* one line at a time, not batches of 6: a batch is padded to its widest line and the
  larger tensors run at half the speed per column;
* a long line cut into pieces of at most `REC_CHUNK` columns (at the model's 48 px
  height), cut at the least inked column near each piece's end and read with one
  line-height of overlap either side (a cut inside a character is read whole next door):
  above ~1000 columns the time per column grows (x1.7 at 1600-1900), and a full-width
  line of prose is 1500-1800 columns;
* short lines padded to `REC_MIN_WIDTH` columns, not to the model's nominal 320;
* the detector run on a copy of at most `DET_LIMIT` px;
* with `fused` (the default, `Settings.rapid_fused`), det and rec models rewritten without
  their element-wise chains (`pipeline.ocr.fuse`: same arithmetic, ~25% less CPU).

The direction classifier is never run here: pages are upright before OCR (the page
orientation comes from our own detector, `pipeline.ocr.orient`).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.config import DEFAULT_DET, DEFAULT_REC
from pipeline.ocr.base import LinePosteriors, Mode, OcrEngine, OcrError
from pipeline.ocr.fuse import FUSE_VERSION, fused_model
from pipeline.ocr.join import Glyph
from pipeline.ocr.weights import detector, recogniser

log = logging.getLogger(__name__)

REC_HEIGHT = 48  # recogniser input height (PP-OCRv4 and v6 alike)
REC_CHUNK = 960  # widest piece of a line sent to the recogniser, in columns at REC_HEIGHT
REC_MIN_WIDTH = 160  # narrower lines are padded to this many columns (RapidOCR: 320)
DET_LIMIT = 1024  # long side (px) of the copy the detector reads (RapidOCR: the page as reduced, 1280)
# A block (a cell, a crop of lines) is detected at most this many times its size. RapidOCR's detector
# brings every image's short side up to 736 px, so a 90 px high cell crop was detected 8x enlarged: a
# tenth of a second to half a second per crop, most of the crop re-reads' time, for text far larger
# than the page's own text is detected at (about 0.6x of a 150 dpi page).
BLOCK_DET_UPSCALE = 2.0
BLOCK_DET_VERSION = 2  # bump when how a block's detector copy is sized changes (part of block reads' cache key)
PIPELINE_VERSION = 3  # bump when the page loop changes what is read (part of the cache key)

# ONNX Runtime session options for every model, applied by `_model` (and tested): one
# thread each (one worker per core), full graph optimisation, the CPU memory arena on
# (RapidOCR turns it off; with it, repeated shapes reuse their buffers).
SESSION_OPTIONS: dict[str, Any] = {
    "intra_op_num_threads": 1,
    "inter_op_num_threads": 1,
    "enable_cpu_mem_arena": True,
    "graph_optimization_level": "ORT_ENABLE_ALL",
}

# One model per process, loaded on first use: a worker pays the ~0.3 s load once.
_MODELS: dict[tuple[Any, ...], Any] = {}


def _model(
    det_side: int, fused: bool = False, cache_dir: Path | None = None, det: str = DEFAULT_DET, rec: str = DEFAULT_REC
) -> Any:
    """The models, for pages reduced to at most `det_side` px on the long side; `det` and `rec`
    name the detector and recogniser (`pipeline.ocr.weights`); with `fused`, det and rec
    sessions load the rewritten models (`pipeline.ocr.fuse`, made in `cache_dir` if not there
    yet).  The folder is not part of the key: the fused models are the same wherever written,
    and a process keeps one set per choice of models (not one per OCR cache folder)."""
    key = (det_side, fused, det, rec)
    if key not in _MODELS:
        from rapidocr_onnxruntime import RapidOCR  # heavy import, only in processes that OCR

        det_weights, rec_weights = detector(det), recogniser(rec)
        paths: dict[str, str] = {"det_model_path": str(det_weights.path), "rec_model_path": str(rec_weights.path)}
        if rec_weights.keys_path is not None:
            paths["rec_keys_path"] = str(rec_weights.keys_path)
        model = RapidOCR(
            intra_op_num_threads=SESSION_OPTIONS["intra_op_num_threads"],
            inter_op_num_threads=SESSION_OPTIONS["inter_op_num_threads"],
            max_side_len=det_side,
            use_cls=False,  # pages are turned upright before OCR; the classifier only costs time
            **paths,
        )
        for part in (model.text_det, model.text_rec):
            _apply_session_options(part, fused, cache_dir)
        _MODELS[key] = model
    return _MODELS[key]


def _apply_session_options(part: Any, fused: bool = False, cache_dir: Path | None = None) -> None:
    """Rebuild a RapidOCR part's ONNX session with `SESSION_OPTIONS` (RapidOCR sets only threads),
    from the fused model when `fused` (the float model when fusing fails)."""
    import onnxruntime as ort
    from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

    holder = part.infer if hasattr(part, "infer") else part.session
    old = holder.session
    path = getattr(old, "_model_path", None)  # onnxruntime keeps the path it loaded
    if not path:
        return  # keep RapidOCR's own session (threads already 1) rather than fail
    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.intra_op_num_threads = SESSION_OPTIONS["intra_op_num_threads"]
    options.inter_op_num_threads = SESSION_OPTIONS["inter_op_num_threads"]
    options.enable_cpu_mem_arena = SESSION_OPTIONS["enable_cpu_mem_arena"]
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, SESSION_OPTIONS["graph_optimization_level"])
    if fused:
        fused_path = str(fused_model(Path(path), cache_dir))
        try:
            holder.session = ort.InferenceSession(fused_path, sess_options=options, providers=["CPUExecutionProvider"])
            return
        except (OSError, ort_errors.Fail, ort_errors.InvalidGraph, ort_errors.InvalidProtobuf, ort_errors.NoSuchFile,
                ort_errors.RuntimeException) as error:  # a damaged cached file: the float model
            log.warning("fused model %s not loaded, using the float model: %s", fused_path, error)
    holder.session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


def session_options(
    det_side: int = 1280, fused: bool = False, cache_dir: Path | None = None, det: str = DEFAULT_DET, rec: str = DEFAULT_REC
) -> list[Any]:
    """The session options in force for the detector and recogniser (for tests and tools)."""
    model = _model(det_side, fused, cache_dir, det, rec)
    return [part.get_session_options() for part in (model.text_det.infer.session, model.text_rec.session.session)]


def _bounds(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _even_split(text: str, box: tuple[float, float, float, float], score: float) -> list[Glyph]:
    """Character boxes spread evenly over a line box, when the engine gave none."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return []
    step = (box[2] - box[0]) / len(chars)
    return [Glyph(c, (box[0] + i * step, box[1], box[0] + (i + 1) * step, box[3]), score) for i, c in enumerate(chars)]


def result_to_lines(result: Sequence[Sequence[Any]] | None) -> list[list[Glyph]]:
    """RapidOCR's `[box, text, score, word_boxes, words, word_scores]` items as glyph lines."""
    lines: list[list[Glyph]] = []
    for item in result or []:
        box, text, score = _bounds(item[0]), str(item[1]), float(item[2])
        word_boxes = item[3] if len(item) > 5 else None
        if word_boxes and len(word_boxes) == len(item[4]):
            glyphs = [
                Glyph(str(word), _bounds(wbox), float(wscore))
                for wbox, word, wscore in zip(word_boxes, item[4], item[5], strict=True)
                if str(word).strip()
            ]
        else:
            glyphs = _even_split(text, box, score)
        if glyphs:
            lines.append(glyphs)
    return lines


def chunk_bounds(crop: np.ndarray, chunk_cols: int = REC_CHUNK) -> list[tuple[int, int]]:
    """Pixel ranges [start, end) that cut a line crop into pieces of at most `chunk_cols`
    columns once scaled to the recogniser's height, each cut at the least inked column
    of the last quarter of its piece (the gap between two characters)."""
    height, width = crop.shape[:2]
    limit = max(height, int(chunk_cols * height / REC_HEIGHT))  # piece width in crop pixels
    if width <= limit:
        return [(0, width)]
    grey = crop if crop.ndim == 2 else crop.min(axis=2)
    ink = (255 - grey.astype(np.int32)).sum(axis=0)
    bounds: list[tuple[int, int]] = []
    start = 0
    while width - start > limit:
        low = start + (3 * limit) // 4
        window = ink[low : start + limit]
        # Least ink; among equals the column nearest the end of the piece (fewer pieces).
        cut = low + int(len(window) - 1 - np.argmin(window[::-1]))
        bounds.append((start, cut))
        start = cut
    bounds.append((start, width))
    return bounds


Piece = tuple[int, int, int, int, Any]  # own start, own end, read start, read end, recogniser result


def _piece_chars(piece: Piece) -> list[tuple[str, float, float]]:
    """(character, centre in crop pixels, confidence) of one recognised piece."""
    _, _, read_start, read_end, (text, _score, info) = piece
    if not text:
        return []
    col_num, word_list, word_col_list, _states, conf_list = info
    per_col = (read_end - read_start) / max(col_num, 1e-6)
    chars = [c for word in word_list for c in word]
    cols = [c for group in word_col_list for c in group]
    confs = conf_list if len(conf_list) == len(chars) else [float(np.mean(conf_list))] * len(chars)
    return [(c, read_start + (col + 0.5) * per_col, float(p)) for c, col, p in zip(chars, cols, confs, strict=True)]


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _merge_pieces(pieces: list[Piece], width: int, height: int) -> tuple[str, float, list[Any]]:
    """Overlapping pieces of one line as one RapidOCR result, columns in crop pixels.

    Each piece was read with one line-height of overlap on either side, so a character cut
    by a piece's end is read whole by its neighbour.  A piece keeps the characters centred
    before its own end; the next one adds only characters clearly right of the last kept
    one (half a Chinese character, a quarter of the height for Latin), so a character read
    twice near a cut is kept once.  Columns become crop pixels, so RapidOCR's word-box step
    (`cell_width = width / col_num`, centre `(col + 0.5) * cell_width`) puts each where it was read.
    """
    kept: list[tuple[str, float, float]] = []
    for index, piece in enumerate(pieces):
        own_end = piece[1]
        last = index == len(pieces) - 1
        for char, centre, conf in _piece_chars(piece):
            if not last and centre >= own_end:
                continue
            if index and kept:  # already read by the piece before (or a cut character's remains)?
                previous_char, previous = kept[-1][0], kept[-1][1]
                if centre <= previous + (0.5 if _is_cjk(previous_char) else 0.25) * height:
                    continue
            kept.append((char, centre, conf))
    if not kept:
        return "", 0.0, [float(width), [], [], [], [0.0]]
    # Group as RapidOCR does: runs of Chinese / other characters, split at gaps of more than 4 decoder columns.
    per_col = [(p[3] - p[2]) / max(p[4][2][0], 1e-6) for p in pieces if p[4][0]]
    split_gap = 4 * float(np.mean(per_col))
    words: list[list[str]] = []
    cols: list[list[float]] = []
    states: list[str] = []
    for i, (char, centre, _) in enumerate(kept):
        state = "cn" if _is_cjk(char) else "en&num"
        if not words or state != states[-1] or centre - kept[i - 1][1] > split_gap:
            words.append([])
            cols.append([])
            states.append(state)
        words[-1].append(char)
        cols[-1].append(centre - 0.5)
    confs = [k[2] for k in kept]
    return "".join(k[0] for k in kept), float(np.mean(confs)), [float(width), words, cols, states, confs]


@functools.cache
def _alphabet(decoder: Any) -> tuple[str, ...]:
    """The recogniser's characters in class order, made once per model (6 625 of them: building the
    tuple on every strip cost a tenth of a strip's recognition)."""
    return tuple(str(c) for c in decoder.character)


def _detect_with_short_side(model: Any, img: np.ndarray, short_side: int) -> list[np.ndarray] | None:
    """`model.auto_text_det(img)` with the detector's copy's short side brought to `short_side` px
    (a multiple of 32, at least 32) instead of the detector's own `limit_side_len`."""
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    detector = model.text_det
    return _detect_with(model, img, DetPreProcess(max(32, short_side), "min", detector.mean, detector.std))


def _detect_with(model: Any, img: np.ndarray, preprocess: Any) -> list[np.ndarray] | None:
    """`model.auto_text_det(img)` with the detector's input made by `preprocess` (RapidOCR's `DetPreProcess`;
    the detector's own for the image's size by default), its normalisation looked up (`detector_input`)."""
    detector = model.text_det
    tensor = detector_input(preprocess, img)
    if tensor is None:
        return None
    boxes, _ = detector.postprocess_op(detector.infer(tensor)[0], img.shape[:2])
    boxes = detector.filter_tag_det_res(boxes, img.shape[:2])
    return model.sorted_boxes(boxes) if len(boxes) else None


def detector_input(preprocess: Any, img: np.ndarray) -> np.ndarray | None:
    """`preprocess(img)`: the detector's float32 input (1 x channels x h x w), bit for bit, with each byte's
    normalised value looked up in a table instead of worked out in float64 over the whole image (a quarter
    of the time; the table is `preprocess.normalize` itself applied to the 256 byte values)."""
    resized = preprocess.resize(img)
    if resized is None:
        return None
    if resized.dtype != np.uint8 or resized.ndim != 3 or resized.shape[2] != len(preprocess.mean):
        return np.expand_dims(preprocess.permute(preprocess.normalize(resized)), axis=0).astype(np.float32)
    table = _normalised_bytes(preprocess)
    tensor = np.empty((1, resized.shape[2], *resized.shape[:2]), np.float32)
    for channel in range(resized.shape[2]):
        np.take(table[channel], resized[..., channel], out=tensor[0, channel])
    return tensor


def _normalised_bytes(preprocess: Any) -> np.ndarray:
    """`preprocess.normalize` of every byte value in every channel, as float32 (channels x 256)."""
    key = (tuple(np.asarray(preprocess.mean).tolist()), tuple(np.asarray(preprocess.std).tolist()), preprocess.scale)
    if key not in _NORMALISED:
        values = np.repeat(np.arange(256, dtype=np.uint8).reshape(256, 1, 1), len(preprocess.mean), axis=2)
        _NORMALISED[key] = np.ascontiguousarray(preprocess.normalize(values).astype(np.float32)[:, 0, :].T)
    return _NORMALISED[key]


_NORMALISED: dict[tuple[Any, ...], np.ndarray] = {}


class RapidOcrEngine(OcrEngine):
    """Detection + recognition for a page or block; a one-line strip is recognised without detection."""

    name = "rapidocr"

    def __init__(
        self,
        det_side: int = 1280,
        rec_chunk: int = REC_CHUNK,
        rec_min_width: int = REC_MIN_WIDTH,
        det_limit: int = DET_LIMIT,
        fused: bool = False,
        model_dir: Path | None = None,
        det: str = DEFAULT_DET,
        rec: str = DEFAULT_REC,
    ) -> None:
        self.det_side = det_side
        self.det = det
        self.rec = rec
        self.fused = fused
        self.model_dir = model_dir  # where fused models are written (the dtpc cache folder)
        self.det_limit = det_limit
        self.rec_chunk = rec_chunk
        self.rec_min_width = rec_min_width
        self.timings: dict[str, float] = {}
        self._params: dict[str, object] | None = None

    def params(self) -> dict[str, object]:
        """What decides the reading (the OCR cache key): looked up once per engine, since
        package versions come from disk (~3 ms) and the cache asks on every call."""
        if self._params is None:
            self._params = self._lookup_params()
        return dict(self._params)

    def _lookup_params(self) -> dict[str, object]:
        from importlib.metadata import version

        det_weights, rec_weights = detector(self.det), recogniser(self.rec)
        return {
            "det": f"{self.det} ({det_weights.package} {det_weights.package_version})",
            "rec": f"{self.rec} ({rec_weights.package} {rec_weights.package_version})",
            "det_side": self.det_side,
            "det_limit": self.det_limit,
            "rec_chunk": self.rec_chunk,
            "rec_min_width": self.rec_min_width,
            "pipeline": PIPELINE_VERSION,
            "fused": FUSE_VERSION if self.fused else 0,
            "version": version("rapidocr-onnxruntime"),
        }

    def mode_params(self, mode: Mode) -> dict[str, object]:
        """What decides the reading of `mode` beyond `params` (part of the OCR cache key of such reads only,
        so a change here leaves cached pages valid)."""
        return {"block_det_upscale": BLOCK_DET_UPSCALE, "block_det": BLOCK_DET_VERSION} if mode == "block" else {}

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        bgr = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image
        model = _model(self.det_side, self.fused, self.model_dir, self.det, self.rec)
        try:
            if mode == "line":
                return self._recognise_strip(model, bgr)
            return result_to_lines(self.read_page(model, bgr, BLOCK_DET_UPSCALE if mode == "block" else None))
        except Exception as error:  # onnxruntime raises its own types; any failure is this image's
            raise OcrError(f"rapidocr failed: {error}") from error

    def line_posteriors(self, strip: np.ndarray) -> LinePosteriors:
        """The recogniser's frame posteriors for a one-line strip, fed as RapidOCR feeds a line
        without detection (the whole strip, at least the model's nominal width, no pieces: a
        caller spotting words wants one alignment over the whole strip)."""
        bgr = cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR) if strip.ndim == 2 else strip
        model = _model(self.det_side, self.fused, self.model_dir, self.det, self.rec)
        try:
            recogniser = model.text_rec
            _, height, width = recogniser.rec_image_shape
            ratio = max(bgr.shape[1] / bgr.shape[0], width / height)
            batch = recogniser.resize_norm_img(bgr, ratio)[np.newaxis].astype(np.float32)
            frames = np.asarray(recogniser.session(batch)[0][0], dtype=np.float32)
            characters = _alphabet(recogniser.postprocess_op)
        except Exception as error:  # onnxruntime raises its own types; any failure is this strip's
            raise OcrError(f"rapidocr line recognition failed: {error}") from error
        return LinePosteriors(frames, characters)

    def read_page(self, model: Any, bgr: np.ndarray, max_upscale: float | None = None) -> list[list[Any]]:
        """RapidOCR's page result (`[box, text, score, word_boxes, words, word_scores]` items),
        made as `RapidOCR.__call__(img, use_cls=False, return_word_box=True)` makes it, but
        with the recogniser fed one line (piece) at a time (and with `max_upscale`, the
        detector's copy enlarged at most that much)."""
        started = time.process_time()
        raw_h, raw_w = bgr.shape[:2]
        img, ratio_h, ratio_w = model.preprocess(bgr)
        img, record = model.maybe_add_letterbox(img, {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}})
        model.text_det.postprocess_op.box_thresh = 0.5  # RapidOCR's call defaults
        model.text_det.postprocess_op.unclip_ratio = 1.6
        boxes = self._detect(model, img, max_upscale)
        detected = time.process_time()
        self.timings["det"] = self.timings.get("det", 0.0) + detected - started
        if boxes is None:
            return []
        crops = model.get_crop_img_list(img, boxes)
        results = [self._recognise_line(model, crop) for crop in crops]
        recognised = time.process_time()
        self.timings["rec"] = self.timings.get("rec", 0.0) + recognised - detected
        kept = [(box, crop, res) for box, crop, res in zip(boxes, crops, results, strict=True) if res[1] >= model.text_score]
        if not kept:
            return []
        from pipeline.ocr.word_boxes import character_boxes  # imports RapidOCR: only in processes that OCR

        with_boxes = character_boxes([k[1] for k in kept], [k[0] for k in kept], [k[2] for k in kept])
        items = []
        origin = model._get_origin_points([k[0] for k in kept], record, raw_h, raw_w)
        for box, (text, score, word_boxes, words, word_scores) in zip(origin, with_boxes, strict=True):
            if word_boxes:
                word_boxes = model._get_origin_points(word_boxes, record, raw_h, raw_w).astype(np.int32).tolist()
            items.append([box.tolist(), text, score, word_boxes, words, word_scores])
        self.timings["boxes"] = self.timings.get("boxes", 0.0) + time.process_time() - recognised
        return items

    def _detect(self, model: Any, img: np.ndarray, max_upscale: float | None = None) -> list[np.ndarray] | None:
        """Text line boxes in `img`, found on a copy reduced to `det_limit` px when that is smaller
        (and with `max_upscale`, enlarged at most that much where the detector would enlarge it more)."""
        factor = self.det_limit / max(img.shape[:2]) if self.det_limit else 1.0
        if max_upscale:
            # The detector brings the short side (of the copy reduced to `det_limit`) up to its
            # `limit_side_len`: a long narrow block was reduced and then enlarged far beyond its size.
            short = min(img.shape[:2])
            detector_short = max(short * min(factor, 1.0), model.text_det.limit_side_len)
            if short * max_upscale < detector_short:
                return _detect_with_short_side(model, img, round(short * max_upscale))
        detector = model.text_det
        if factor >= 1.0:
            return _detect_with(model, img, detector.get_preprocess(max(img.shape[0], img.shape[1])))
        small = cv2.resize(img, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        boxes = _detect_with(model, small, detector.get_preprocess(max(small.shape[0], small.shape[1])))
        if boxes is None:
            return None
        return [np.clip(box / factor, 0, [img.shape[1] - 1, img.shape[0] - 1]).astype(np.float32) for box in boxes]

    def _recognise_line(self, model: Any, crop: np.ndarray) -> tuple[str, float, list[Any]]:
        """One detected line: its pieces recognised one by one, merged into one result."""
        recogniser = model.text_rec
        height, width = crop.shape[:2]
        bounds = chunk_bounds(crop, self.rec_chunk)
        pieces: list[Piece] = []
        for start, end in bounds:
            # One line-height of overlap either side, so a character cut at `end` is read whole next door.
            read_start, read_end = (start, end) if len(bounds) == 1 else (max(0, start - height), min(width, end + height))
            piece = crop[:, read_start:read_end]
            ratio = piece.shape[1] / float(piece.shape[0])
            widest = max(self.rec_min_width / REC_HEIGHT, ratio)
            batch = recogniser.resize_norm_img(piece, widest)[np.newaxis, :].astype(np.float32)
            predictions = recogniser.session(batch)[0]
            [result] = recogniser.postprocess_op(predictions, True, wh_ratio_list=[ratio], max_wh_ratio=widest)
            pieces.append((start, end, read_start, read_end, result))
        if len(pieces) == 1:
            return pieces[0][4]
        return _merge_pieces(pieces, width, height)

    def _recognise_strip(self, model: Any, bgr: np.ndarray) -> list[list[Glyph]]:
        """A strip holding one line: recognition alone (detection adds time and misses tight crops).

        Read as RapidOCR reads it without detection (the whole strip, no letterbox), but with
        the page loop's recogniser feed (no padding beyond `rec_min_width`, long strips in pieces).
        """
        img, _, _ = model.preprocess(bgr)
        text, score, _ = self._recognise_line(model, img)
        height, width = bgr.shape[:2]
        glyphs = _even_split(text, (0.0, 0.0, float(width), float(height)), score)
        return [glyphs] if glyphs else []
