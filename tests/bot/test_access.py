"""The access policy: the allow-list (user or chat) and the admins."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update, User

from bot.access import AccessPolicy


def user(user_id: int) -> User:
    return User(user_id, "ليلى", is_bot=False)


@pytest.mark.parametrize(
    ("who", "admin_ids", "expected"),
    [
        (user(7), frozenset({7, 8}), True),
        (user(9), frozenset({7, 8}), False),
        (user(7), frozenset(), False),  # nobody is an admin by default
        (None, frozenset({7}), False),  # channel posts and anonymous admins have no user
    ],
)
def test_only_listed_users_are_admins(who: User | None, admin_ids: frozenset[int], expected: bool) -> None:
    assert AccessPolicy(admin_ids=admin_ids).is_admin(who) is expected


def update_from(user_id: int, chat_id: int) -> Update:
    chat: dict[str, Any] = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    message = {
        "message_id": 1,
        "date": 0,
        "chat": chat,
        "from": {"id": user_id, "is_bot": False, "first_name": "x"},
    }
    return Update.de_json({"update_id": 1, "message": message}, None)


@pytest.mark.parametrize(
    ("allowed", "user_id", "chat_id", "expected"),
    [
        (frozenset(), 7, 7, True),  # no allow-list: everyone
        (frozenset({7}), 7, 7, True),
        (frozenset({-100}), 8, -100, True),  # a listed group lets its members in
        (frozenset({7}), 8, -100, False),
    ],
)
def test_the_allow_list_names_users_or_chats(
    allowed: frozenset[int], user_id: int, chat_id: int, expected: bool
) -> None:
    assert AccessPolicy(allowed_ids=allowed).allows(update_from(user_id, chat_id)) is expected
    # The same rule for ids without an update (a follow's chat and follower, before an alert).
    assert AccessPolicy(allowed_ids=allowed).allows_ids({user_id, chat_id}) is expected
