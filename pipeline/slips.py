"""A figure's slips of reading: what a reader that lost characters of a figure, or read one digit as another,
leaves of it ('154.8' read 8; '2,329' read 2,829). Both the figures a declared total implies (`pipeline.implied`)
and the doubts a failed total may rest on (`pipeline.checks.registry`) go by them: a doubtful reading is another
figure only by such a slip."""

from __future__ import annotations

Figure = int | float
DIGITS = "0123456789"


def lost_from(read: Figure, implied: Figure, places: int = 0) -> bool:
    """The digits of `read` are those of `implied` with at least one left out, in order; `implied` as
    written plainly or with `places` decimals, as its column prints it ('358.70': a reading 70 of it kept
    the printed 0 that the figure 358.7 does not show)."""
    return _kept_of(figure_digits(read), implied, places)


def _kept_of(kept: str, implied: Figure, places: int) -> bool:
    """The digits `kept` are those of `implied` (as `lost_from` writes it) with at least one left out, in order."""
    for whole in dict.fromkeys(_digits_of(text) for text in printed(implied, places)):
        rest = iter(whole)
        if len(kept) < len(whole) and all(char in rest for char in kept):
            return True
    return False


def changed_from(read: Figure, implied: Figure, places: int = 0) -> bool:
    """`read` is `implied` with one digit read as another in its place ('2,829' of 2,329: a seal's stroke
    across the 3), or with one digit more (a stroke read as a digit: '2281' of 228), the point where it
    was; `implied` as written plainly or with `places` decimals, as its column prints it."""
    for text in dict.fromkeys(written(implied, False, shown) for shown in dict.fromkeys((0, places))):
        whole, _, fraction = text.partition(".")
        read_whole, _, read_fraction = written(read, False, len(fraction)).partition(".")
        if len(read_fraction) != len(fraction):
            continue
        if len(read_whole) == len(whole):
            changed = sum(a != b for a, b in zip(read_whole + read_fraction, whole + fraction, strict=True))
            if changed == 1:
                return True
        elif len(read_whole) == len(whole) + 1 and read_fraction == fraction and _one_more(read_whole, whole):
            return True
    return False


def changed_and_lost(read: Figure, implied: Figure, places: int = 0) -> bool:
    """`read` is `implied` with characters lost and one of the digits kept read as another ('2557.1' of
    2,557.03: the 0 under a seal's star lost, the 3 its ring crossed read 1; '42' of 45.1): the reading's
    digits, one of them put right, are those of `implied` with some left out, in order. Looser than either
    alone, so `borne_out` holds it to a changed digit's bar: the ink must favour the implied figure."""
    kept = figure_digits(read)
    return any(_kept_of(kept[:at] + digit + kept[at + 1:], implied, places)
               for at in range(len(kept)) for digit in DIGITS if digit != kept[at])


def _one_more(longer: str, shorter: str) -> bool:
    """`longer` is `shorter` with one character put in somewhere."""
    return any(longer[:cut] + longer[cut + 1:] == shorter for cut in range(len(longer)))


def figure_digits(value: Figure) -> str:
    """The digits of `value` as the form prints it, without its point."""
    return _digits_of(written(value))


def _digits_of(text: str) -> str:
    return text.replace(".", "").replace(",", "").lstrip("-")


def written(value: Figure, grouped: bool = False, places: int = 0) -> str:
    """A figure as the form prints it: '1002.5', or with `grouped` '1,002.5'; a float with at least
    `places` decimals ('1002.50')."""
    if isinstance(value, int):
        return f"{value:,}" if grouped else str(value)
    text = f"{value:,.4f}" if grouped else f"{value:.4f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(places, "0")
    return f"{whole}.{fraction}" if fraction else whole


def printed(value: Figure, places: int = 0) -> list[str]:
    """The ways `value` may stand in its cell: plain and grouped, and so again with `places` decimals."""
    return list(dict.fromkeys(written(value, grouped, shown) for shown in dict.fromkeys((0, places))
                              for grouped in (False, True)))


def slipped_from(read: Figure, figure: Figure, places: int = 0) -> bool:
    """`read` is what a slip of reading leaves of `figure`: characters lost (`lost_from`), one digit read as
    another or one more (`changed_from`), or both (`changed_and_lost`)."""
    return lost_from(read, figure, places) or changed_from(read, figure, places) \
        or changed_and_lost(read, figure, places)
