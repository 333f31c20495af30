"""The public commands besides /ask: /start, /help, /sources, and unknown commands."""

from __future__ import annotations

import html

from telegram import Update

from bot import render, texts
from bot.layout import rtl
from bot.numbers import count as count_of
from bot.sending import send_chunks
from bot.state import Context


async def start(update: Update, context: Context) -> None:
    """Welcome: what the bot knows and an example question."""
    message = update.effective_message
    if message is None:
        return
    if context.args and context.args[0] == "sources":
        await sources(update, context)
        return
    count = count_of(len(context.bot_data.engine.articles), texts.ARTICLES)
    await message.reply_text(
        rtl(texts.WELCOME.format(article_count=count, example=html.escape(texts.EXAMPLE_QUESTION)))
    )


async def help_command(update: Update, context: Context) -> None:
    """How to use the bot in private chats, groups and inline mode (and the admin commands, for admins)."""
    if update.effective_message is None:
        return
    text = texts.HELP.format(username=html.escape(context.bot.username)) + texts.HELP_NEWS
    if context.bot_data.access.is_admin(update.effective_user):
        text += texts.ADMIN_HELP
    await update.effective_message.reply_text(rtl(text))


async def sources(update: Update, context: Context) -> None:
    """The articles the bot knows, with outlet and date."""
    message = update.effective_message
    if message is None:
        return
    chunks = render.render_sources(context.bot_data.engine.articles)
    await send_chunks(message, chunks, None, reply_to=message.message_id)


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not have (private chats only: in groups it may be another bot's)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(rtl(texts.UNKNOWN_COMMAND))
