"""Lossless graph rewrites of the PP-OCRv4 det/rec ONNX models, made locally from the
models inside the rapidocr-onnxruntime wheel (nothing is downloaded).

PP-LCNetV3 blocks, as exported, run eight element-wise nodes around each convolution:
`Conv -> Mul(c) -> Add(b)` (a learnable affine), then hard-swish spelled out as
`x * Clip(x + 3, 0, 6) / 6`, then another scalar affine.  ONNX Runtime fuses none of
them, and on one core they cost as much as a third of the model (docs/reading.md).  Here:

* `Conv -> Mul(c) -> Add(b)` becomes the Conv with weights `W*c` and bias `B*c + b`;
* `x * Clip(x + 3, 0, 6) / 6` becomes `x * HardSigmoid(x; 1/6, 1/2)`;
* a scalar `Mul(a) -> Add(b)` feeding only unpadded 1x1 convolutions is folded into them
  (weights `W*a`, bias `B + b * sum(W)`); before a padded convolution it is left alone,
  since the zero padding would not see the shift.

The same arithmetic in another order: outputs agree with the float model to rounding
(no recognised character changed on the 12 benchmark pages).  The rewritten model is
written once into a cache folder, keyed by the source model's sha256 and `FUSE_VERSION`,
under a file lock so that parallel workers do not write it at once; any failure
(no `onnx` package, an unexpected graph, a read-only folder) means the float model is used.
A copy made is also left in the user's folder beside the machine's temp files, where a run
with another (or an empty) OCR cache folder finds it instead of making it again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.digest import file_sha256

FUSE_VERSION = 1  # bump when the rewrite changes (part of the cached file's name)

log = logging.getLogger(__name__)


def _attribute(node: Any, name: str, default: Any) -> Any:
    for attribute in node.attribute:
        if attribute.name == name:
            return list(attribute.ints) if attribute.ints else attribute.i
    return default


def fuse_model(source: Path, target: Path) -> dict[str, int]:
    """Write the rewritten `source` model to `target`; returns how many of each rewrite were made."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    constants = {n.output[0]: n for n in graph.node if n.op_type == "Constant" and n.attribute}

    def const(name: str) -> np.ndarray | None:
        if name in initializers:
            return numpy_helper.to_array(initializers[name])
        node = constants.get(name)
        if node is not None and node.attribute[0].name == "value":
            return numpy_helper.to_array(node.attribute[0].t)
        return None

    consumers: dict[str, list[Any]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    outputs = {o.name for o in graph.output}

    def only(name: str, op_type: str) -> Any:
        """The single consumer of `name` when it is an `op_type` node, else None."""
        if name in outputs or len(consumers[name]) != 1:
            return None
        node = consumers[name][0]
        return node if node.op_type == op_type else None

    def other_const(node: Any, name: str) -> np.ndarray | None:
        rest = [i for i in node.input if i != name]
        return const(rest[0]) if len(rest) == 1 else None

    def add_initializer(array: np.ndarray, name: str) -> str:
        tensor = numpy_helper.from_array(array.astype(np.float32), name)
        graph.initializer.append(tensor)
        initializers[name] = tensor
        return name

    def weights(conv: Any) -> tuple[np.ndarray, np.ndarray] | None:
        w = const(conv.input[1])
        if w is None or w.ndim != 4:
            return None
        has_bias = len(conv.input) > 2 and conv.input[2]
        b = const(conv.input[2]) if has_bias else np.zeros(w.shape[0], np.float32)
        return (w.astype(np.float32), b.astype(np.float32)) if b is not None else None

    dropped: set[int] = set()
    renamed: dict[str, str] = {}
    counts = {"conv_affine": 0, "hard_swish": 0, "affine_into_1x1": 0}

    # 1. Conv -> Mul(c) -> Add(b): into the convolution's weights and bias.
    for conv in graph.node:
        if conv.op_type != "Conv":
            continue
        mul = only(conv.output[0], "Mul")
        add = only(mul.output[0], "Add") if mul is not None else None
        wb = weights(conv)
        if add is None or wb is None:
            continue
        c, b = other_const(mul, conv.output[0]), other_const(add, mul.output[0])
        w, bias = wb
        out = w.shape[0]
        if c is None or b is None or c.size not in (1, out) or b.size not in (1, out):
            continue
        scale = np.broadcast_to(c.astype(np.float32).reshape(-1), (out,))
        shift = np.broadcast_to(b.astype(np.float32).reshape(-1), (out,))
        x = conv.input[0]
        del conv.input[:]
        conv.input.extend([
            x,
            add_initializer(w * scale.reshape(out, 1, 1, 1), f"{conv.name}_fused_W"),
            add_initializer(bias * scale + shift, f"{conv.name}_fused_B"),
        ])
        renamed[add.output[0]] = conv.output[0]
        dropped.update((id(mul), id(add)))
        counts["conv_affine"] += 1

    # 2. x * Clip(x + 3, 0, 6) / 6  ->  x * HardSigmoid(x; alpha=1/6, beta=1/2)
    for add in graph.node:
        if add.op_type != "Add" or id(add) in dropped or len(add.input) != 2:
            continue
        x = next((i for i in add.input if const(i) is None), None)
        three = other_const(add, x) if x is not None else None
        if x is None or three is None or three.size != 1 or float(three.reshape(-1)[0]) != 3.0:
            continue
        clip = only(add.output[0], "Clip")
        if clip is None or len(clip.input) < 3:
            continue
        low, high = const(clip.input[1]), const(clip.input[2])
        if low is None or high is None or float(low) != 0.0 or float(high) != 6.0:
            continue
        mul = only(clip.output[0], "Mul")
        if mul is None or sorted(mul.input) != sorted([x, clip.output[0]]):
            continue
        div = only(mul.output[0], "Div")
        six = const(div.input[1]) if div is not None and div.input[0] == mul.output[0] else None
        if six is None or six.size != 1 or float(six.reshape(-1)[0]) != 6.0:
            continue
        add.op_type = "HardSigmoid"
        del add.input[:]
        add.input.append(x)
        add.attribute.extend([helper.make_attribute("alpha", 1.0 / 6.0), helper.make_attribute("beta", 0.5)])
        del mul.input[:]
        mul.input.extend([x, add.output[0]])
        result = div.output[0]
        del mul.output[:]
        mul.output.append(result)
        dropped.update((id(clip), id(div)))
        counts["hard_swish"] += 1

    # 3. a scalar Mul(a) -> Add(b) read only by unpadded 1x1 convolutions: into those convolutions.
    for mul in graph.node:
        if mul.op_type != "Mul" or id(mul) in dropped:
            continue
        inputs = [i for i in mul.input if const(i) is None]
        a = other_const(mul, inputs[0]) if len(inputs) == 1 else None
        add = only(mul.output[0], "Add") if a is not None and a.size == 1 else None
        b = other_const(add, mul.output[0]) if add is not None else None
        if a is None or add is None or b is None or b.size != 1 or add.output[0] in outputs:
            continue
        users = consumers[add.output[0]]

        def foldable(conv: Any, name: str = add.output[0]) -> bool:
            return (
                conv.op_type == "Conv"
                and list(conv.input).count(name) == 1
                and conv.input[0] == name
                and _attribute(conv, "group", 1) == 1
                and _attribute(conv, "kernel_shape", None) == [1, 1]
                and not any(_attribute(conv, "pads", [0]))
                and weights(conv) is not None
            )

        if not users or not all(foldable(u) for u in users):
            continue
        a_value, b_value = float(a.reshape(-1)[0]), float(b.reshape(-1)[0])
        for conv in users:
            w, bias = weights(conv)  # type: ignore[misc]  # checked by foldable
            del conv.input[:]
            conv.input.extend([
                inputs[0],
                add_initializer(w * a_value, f"{conv.name}_folded_W"),
                add_initializer(bias + b_value * w.sum(axis=(1, 2, 3)), f"{conv.name}_folded_B"),
            ])
        dropped.update((id(mul), id(add)))
        counts["affine_into_1x1"] += 1

    kept = [n for n in graph.node if id(n) not in dropped]
    for node in kept:
        for index, name in enumerate(node.input):
            while name in renamed:
                name = renamed[name]
            node.input[index] = name
    if any(o.name in renamed for o in graph.output):
        raise ValueError("a graph output would be renamed")
    used = {name for node in kept for name in node.input} | outputs
    kept = [n for n in kept if n.op_type != "Constant" or n.output[0] in used]  # constants of removed nodes
    del graph.node[:]
    graph.node.extend(kept)
    live = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    del graph.value_info[:]  # shapes of removed tensors; ONNX Runtime infers its own
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    return counts


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# The machine's temp folder as this module found it: a batch's file process later sends its own temp
# files to a scratch folder removed after the file, which is no place for models shared across files.
_MACHINE_TEMP = Path(tempfile.gettempdir())


def model_folder(cache_dir: Path | None) -> Path:
    """Where fused models live: `<cache_dir>/models`, or a per-user temp folder without a cache."""
    if cache_dir is not None:
        return cache_dir / "models"
    return _MACHINE_TEMP / f"dtpc-models-{os.getuid()}"


def _own(folder: Path) -> bool:
    """Whether `folder` is this user's and no one else may write in it: a shared folder in the machine's temp
    space that another user made (or opened to all) could hold a model of theirs under a fused model's name."""
    try:
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _share(made: Path) -> None:
    """A copy of the fused model `made` in the user's shared folder (`model_folder(None)`), for runs with other
    cache folders; written whole before it is named, so a reader never sees half of it. Best effort: without
    it each cache folder makes its own."""
    shared = model_folder(None) / made.name
    if shared == made or shared.is_file():
        return
    temp = shared.with_suffix(f".{os.getpid()}.tmp")
    try:
        shared.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _own(shared.parent):
            return
        shutil.copyfile(made, temp)
        temp.replace(shared)
    except OSError as error:
        log.info("fused model %s not shared: %s", made.name, error)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _onnx_errors() -> tuple[type[Exception], ...]:
    """What onnx raises on a model it cannot read or check (none without onnx: then ImportError is)."""
    try:
        import onnx
        from google.protobuf.message import DecodeError
    except ImportError:
        return ()
    return DecodeError, onnx.checker.ValidationError


def fused_model(source: Path, cache_dir: Path | None) -> Path:
    """The fused copy of `source` (made on first use), or `source` itself when that fails.

    A copy already made is found without importing `onnx` (half a CPU-second, in every page
    worker that loads its models): only making one needs it.
    """
    try:
        folder = model_folder(cache_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{source.stem}-{file_sha256(source)[:16]}-fused{FUSE_VERSION}.onnx"
        if target.is_file():
            return target
        # Made before under another OCR cache folder: the same bytes (the key is the source's own), so not
        # made again (~0.9 CPU-s with the `onnx` import, before a batch with an empty cache reads its first page).
        shared = model_folder(None) / target.name
        if shared.is_file() and _own(shared.parent):
            return shared
    except OSError as error:
        log.warning("using the unfused model %s (%s)", source.name, error)
        return source
    failures: tuple[type[Exception], ...] = (OSError, ValueError, ImportError, *_onnx_errors())
    try:
        with _locked(folder / f"{target.name}.lock"):
            if not target.is_file():  # another worker may have written it while we waited
                temp = target.with_suffix(f".{os.getpid()}.tmp")
                try:
                    counts = fuse_model(source, temp)
                    temp.replace(target)
                finally:
                    temp.unlink(missing_ok=True)
                log.info("fused %s: %s", source.name, counts)
        _share(target)
        return target
    except failures as error:  # the float model, unchanged
        log.warning("using the unfused model %s (%s)", source.name, error)
        return source
