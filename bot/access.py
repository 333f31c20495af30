"""Who may use the bot (NEWSBOT_ALLOWED_IDS) and who may add news (NEWSBOT_ADMIN_IDS): the one access policy."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from telegram import Update, User

from config import Settings


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """The allow-list (empty: everyone) and the admins (empty: nobody)."""

    allowed_ids: frozenset[int] = frozenset()
    admin_ids: frozenset[int] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        return cls(allowed_ids=settings.allowed_ids, admin_ids=settings.storage.admin_ids)

    def allows(self, update: Update) -> bool:
        """True when the allow-list is off, or the update's user or chat is on it."""
        return self.allows_ids(self.ids_of(update))

    def allows_ids(self, ids: Collection[int]) -> bool:
        """True when the allow-list is off or names one of ``ids`` (a user, a chat)."""
        return not self.allowed_ids or not self.allowed_ids.isdisjoint(ids)

    @staticmethod
    def ids_of(update: Update) -> set[int]:
        """The user and chat ids an update comes from (the allow-list may name either)."""
        return {entity.id for entity in (update.effective_user, update.effective_chat) if entity is not None}

    def is_admin(self, user: User | None) -> bool:
        """True when ``user`` is one of NEWSBOT_ADMIN_IDS; channel posts and anonymous admins have no user."""
        return user is not None and user.id in self.admin_ids
