"""The first handler every update meets: the allow-list (``bot.access``) stops the rest when it applies."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.state import Context

logger = logging.getLogger(__name__)


async def enforce_allow_list(update: Update, context: Context) -> None:
    """Stop updates from users and chats outside NEWSBOT_ALLOWED_IDS (when it is set)."""
    access = context.bot_data.access
    if not access.allows(update):
        logger.info("ignored an update from ids %s (not in the allow-list)", sorted(access.ids_of(update)))
        raise ApplicationHandlerStop
