"""``python -m bot``: run the Telegram bot in polling mode (settings from NEWSBOT_* and .env)."""

import sys

from bot.app import main

if __name__ == "__main__":
    sys.exit(main())
