"""Saved arrays read a few rows at a time: the same values a memory map or ``np.load`` gives."""

from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import IndexFormatError
from retrieval.stored_arrays import RowReads, StoredInts


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, np.ndarray]:
    values = np.arange(100, 120, dtype=np.int32)
    np.save(tmp_path / "values.npy", values, allow_pickle=False)
    return tmp_path / "values.npy", values


def test_a_stored_array_has_the_saved_length_dtype_and_values(saved: tuple[Path, np.ndarray]) -> None:
    path, values = saved
    stored = StoredInts(path)
    assert len(stored) == 20
    assert stored.shape == (20,)
    assert stored.dtype == np.int32
    assert np.asarray(stored).tolist() == values.tolist()
    assert np.concatenate([stored, np.array([7], dtype=np.int32)]).tolist() == [*values.tolist(), 7]


def test_a_slice_reads_those_elements(saved: tuple[Path, np.ndarray]) -> None:
    path, values = saved
    stored = StoredInts(path)
    assert stored[3:7].tolist() == values[3:7].tolist()
    assert stored[5:5].tolist() == []
    assert stored[18:40].tolist() == values[18:].tolist()


@pytest.mark.parametrize(
    ("first", "counts"),
    [
        ([], []),
        ([4], [3]),
        ([10, 2, 5], [2, 0, 4]),  # out of order, one empty row
        ([2, 4, 6, 15], [2, 2, 3, 5]),  # three rows that continue one another, then a gap
    ],
)
def test_rows_concatenates_each_row_in_the_order_asked(
    saved: tuple[Path, np.ndarray], first: list[int], counts: list[int]
) -> None:
    path, values = saved
    found = StoredInts(path).rows(np.array(first, dtype=np.int64), np.array(counts, dtype=np.int64))
    expected = [v for start, count in zip(first, counts, strict=True) for v in values[start : start + count]]
    assert found.dtype == np.int32
    assert found.tolist() == expected


def test_an_array_that_is_not_one_dimensional_integers_is_refused(tmp_path: Path) -> None:
    np.save(tmp_path / "floats.npy", np.zeros(3, dtype=np.float64))
    np.save(tmp_path / "matrix.npy", np.zeros((2, 2), dtype=np.int32))
    for name in ("floats.npy", "matrix.npy", "missing.npy"):
        with pytest.raises(IndexFormatError):
            StoredInts(tmp_path / name)


def test_a_truncated_array_is_refused(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    path.write_bytes(path.read_bytes()[:-4])
    with pytest.raises(IndexFormatError):
        StoredInts(path)


def test_an_extended_array_reads_its_saved_part_and_then_the_appended_values(
    saved: tuple[Path, np.ndarray],
) -> None:
    path, values = saved
    stored = StoredInts(path)
    grown = stored.extended(np.array([1, 2], dtype=np.int64)).extended(np.array([3], dtype=np.int32))
    whole = [*values.tolist(), 1, 2, 3]
    assert len(stored) == 20 and len(grown) == 23 and grown.dtype == np.int32
    assert np.asarray(grown).tolist() == whole
    assert grown[18:22].tolist() == whole[18:22]
    assert grown[21:23].tolist() == [2, 3]
    found = grown.rows(np.array([21, 17, 19], dtype=np.int64), np.array([2, 2, 2], dtype=np.int64))
    assert found.tolist() == [2, 3, *whole[17:19], *whole[19:21]]
    del stored  # the grown array shares the open file
    assert grown[0:2].tolist() == values[:2].tolist()


def test_rows_close_together_are_read_as_one_span_and_far_ones_apart() -> None:
    close = RowReads.of(np.array([30, 10, 12], dtype=np.int64), np.array([2, 2, 3], dtype=np.int64))
    assert (close.starts, close.stops) == ([10], [32])
    far = RowReads.of(np.array([5_000, 10], dtype=np.int64), np.array([2, 2], dtype=np.int64))
    assert (far.starts, far.stops) == ([10, 5_000], [12, 5_002])
    assert far.elements is not None and far.elements.tolist() == [2, 3, 0, 1]


def test_rows_far_apart_in_a_long_array_are_read_exactly(tmp_path: Path) -> None:
    values = np.arange(10_000, dtype=np.uint16)
    np.save(tmp_path / "long.npy", values)
    first = np.array([9_000, 5, 3, 9_001, 4_000], dtype=np.int64)
    counts = np.array([3, 4, 2, 0, 1], dtype=np.int64)
    found = StoredInts(tmp_path / "long.npy").rows(first, counts)
    expected = [v for start, count in zip(first, counts, strict=True) for v in values[start : start + count]]
    assert found.dtype == np.uint16 and found.tolist() == expected
