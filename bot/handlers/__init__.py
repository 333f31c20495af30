"""Telegram handlers by concern, each a flat ``async def h(update, context) -> None``; wired in ``bot.app``.

``questions`` (answering), ``commands`` (/start, /help, /sources), ``buttons`` («المزيد», «السياق»),
``inline`` (@bot queries), ``news`` (/latest, «آخر الأخبار»), ``follows`` (/follow, /following, /unfollow),
``admin`` (/add, /refresh), ``guard`` (allow-list), ``errors`` (the error handler).
"""
