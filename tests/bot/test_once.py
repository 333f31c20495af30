"""Once per window: the first occurrence of a key acts, repeats within the window do not."""

from __future__ import annotations

from bot.once import OncePerWindow


def test_a_key_acts_once_per_window() -> None:
    once = OncePerWindow(window=5.0)
    assert once.first("a", 0.0)
    assert not once.first("a", 4.9)  # a repeat does not extend the window
    assert once.first("a", 5.0)
    assert not once.first("a", 9.9)


def test_keys_are_independent() -> None:
    once = OncePerWindow(window=5.0)
    assert once.first(("chat", 1, "ctx"), 0.0) and once.first(("chat", 2, "ctx"), 0.0)
    assert once.first(("chat", 1, "more"), 0.0)


def test_expired_keys_are_forgotten() -> None:
    once = OncePerWindow(window=1.0)
    for key in range(1000):
        once.first(key, now=key / 1000)
    once.first("late", now=5.0)
    assert len(once) == 1
