"""Benchmark the whole bot on loopback: question in through the Bot API stand-in, reply out.

Starts the stand-in (tests/e2e/fake_bot_api.py) and ``python -m bot`` as a separate process
configured only through NEWSBOT_* variables, exactly as a user runs it. Times are taken inside
the stand-in: from the moment a user's message becomes an update to the moment the bot's reply
(sendMessage) arrives, so they include long polling, the engine, rendering, the typing action,
the rate limiter and HTTP both ways.

    python benchmarks/bench_bot.py                       # seeds, 200 sequential + 300 in a burst
    python benchmarks/bench_bot.py --corpus ../shared/eval/arcd/corpus.jsonl --questions 300

Phases: "sequential" sends one question at a time, pausing between them so the rate limiter
never queues (latency of one answer; its rate is not a throughput figure); "burst" sends all
questions at once from many chats (throughput, which python-telegram-bot's AIORateLimiter caps
at Telegram's 30 requests per second; every answer costs two: typing action and message).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.fake_bot_api import FakeBotApi, FakeChat, FakeUser  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
SEED_QUESTIONS = (
    "متى وصل بوتين إلى كازاخستان؟",
    "لماذا طردت موسكو الصحافيين الألمان؟",
    "ما نسبة إنتاج كازاخستان من اليورانيوم؟",
    "من هو رئيس كازاخستان؟",
    "كم تستمر زيارة بوتين؟",
    "ما هي عاصمة البرازيل؟",  # off-topic: the no-answer path is timed too
)


def load_questions(path: Path | None, count: int) -> list[str]:
    if path is None:
        pool = list(SEED_QUESTIONS)
    else:
        pool = [
            json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line
        ]
    return [pool[i % len(pool)] for i in range(count)]


def start_bot(api: FakeBotApi, corpus: Path) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "NEWSBOT_TELEGRAM_TOKEN": api.token,
        "NEWSBOT_TELEGRAM_API_URL": api.base_url,
        "NEWSBOT_CORPUS": str(corpus),
        "NEWSBOT_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "bot"], env=env, cwd=ROOT, stderr=subprocess.DEVNULL)


def replied(api: FakeBotApi, asked: list[tuple[int, int]]) -> bool:
    done = {(m.chat_id, m.reply_to_message_id) for m in api.bot_messages}
    return all(key in done for key in asked)


def latencies_ms(api: FakeBotApi, asked: list[tuple[int, int]]) -> list[float]:
    def measure() -> list[float]:
        first_reply: dict[tuple[int, int | None], float] = {}
        for message in api.bot_messages:
            first_reply.setdefault((message.chat_id, message.reply_to_message_id), message.sent_at)
        return [(first_reply[key] - api.message_created_at[key]) * 1000 for key in asked]

    return api.call(measure)


def run_phase(
    api: FakeBotApi, questions: list[str], *, chats: int, burst: bool, pause: float = 0.0
) -> tuple[list[float], float]:
    users = [FakeUser(50_000 + n, f"u{n}") for n in range(chats)]
    asked: list[tuple[int, int]] = []
    started = time.perf_counter()
    for index, question in enumerate(questions):
        user = users[index % chats]
        chat = FakeChat(user.id)
        message = api.send_text(chat, user, question)
        asked.append((chat.id, message["message_id"]))
        if not burst:
            api.wait_until_sync(lambda key=asked[-1]: replied(api, [key]), timeout=30)
            time.sleep(pause)
    api.wait_until_sync(lambda: replied(api, asked), timeout=600)
    elapsed = time.perf_counter() - started
    return latencies_ms(api, asked), elapsed


def report(name: str, values: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(values)
    figures = {
        "answers": len(values),
        "answers_per_second": round(len(values) / elapsed, 1),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }
    print(f"{name:>10}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    parser.add_argument("--questions", type=int, default=200, help="sequential questions (default 200)")
    parser.add_argument(
        "--pause", type=float, default=0.05, help="seconds between sequential questions, below the rate limit"
    )
    parser.add_argument("--burst", type=int, default=300, help="questions sent at once (default 300)")
    parser.add_argument("--chats", type=int, default=30, help="distinct private chats in the burst")
    parser.add_argument("--question-file", type=Path, default=None, help="jsonl with a 'question' field")
    args = parser.parse_args()

    with FakeBotApi(TOKEN) as api:
        process = start_bot(api, args.corpus)
        try:
            api.wait_until_sync(api.is_polling, timeout=120)
            warm = load_questions(args.question_file, 10)
            run_phase(api, warm, chats=1, burst=False)
            results = {
                "sequential": report(
                    "sequential",
                    *run_phase(
                        api,
                        load_questions(args.question_file, args.questions),
                        chats=1,
                        burst=False,
                        pause=args.pause,
                    ),
                ),
                "burst": report(
                    "burst",
                    *run_phase(
                        api, load_questions(args.question_file, args.burst), chats=args.chats, burst=True
                    ),
                ),
            }
            rejected = api.call(lambda: sum(1 for r in api.requests if r.status == 400))
            print(f"rejected requests (Telegram 400): {rejected}")
        finally:
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=30)
    print(json.dumps({"corpus": str(args.corpus), "exit_status": status, **results}, ensure_ascii=False))
    return 0 if status == 0 and rejected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
