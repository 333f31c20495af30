"""Benchmark the whole answer path, what a user waits for, on synthetic Arabic corpora (not a test).

    python benchmarks/bench_answer_path.py                        # 10k, 100k and 1M sentences
    python benchmarks/bench_answer_path.py --sizes 10000 --json   # one size, JSON on stdout
    python benchmarks/bench_answer_path.py --keep-data /tmp/bench # keep (and reuse) corpora and caches

Per size, the corpus comes from ../shared/bench/make_corpus.py (seed 1) and the articles added later
from the same generator (seed 2, ids ``new-...``), in a temporary folder unless --keep-data names one.
Only the public API (``retrieval.AnswerEngine``, ``load_corpus``...) and the ``newsbot`` command are
used, and the serving process's heap is kept as the bot keeps it (``bot.heap.keep_served``). Every step runs in a fresh process, so its peak RSS (``os.wait4``'s ``ru_maxrss``) is its own:

1. cold start: ``load_corpus`` + ``AnswerEngine.from_articles(cache_dir=<empty>)`` (which also saves
   the index cache, as the bot and ``newsbot`` do) + the first ``answer``;
2. restart: the same over the cache step 1 saved, then in that process, serving:
   * ``answer`` mean / p50 / p95 over --questions ARCD questions after --warmup others, and the RSS
     then (VmRSS: memory-mapped index pages count once touched);
   * adding 100 and 1,000 new articles (``engine.added(articles)`` when the engine has it, else a
     full rebuild ``AnswerEngine.from_articles(old + new)``, labelled so) while a thread asks
     questions at --load-qps: seconds until two questions made from the first and the last new
     article are answered with a quote of that article, and the answer p95 over that window;
   * the baseline (sizes <= --baseline-max): rank-bm25 ``BM25Okapi.get_scores`` over the same
     sentences (``segment_sentences``) and questions, tokenised as benchmarks/bench_bm25.py does;
3. ``newsbot ask --corpus ... --json`` over the saved cache: one question, then all --questions on
   standard input in one process; the difference per extra question is the batch cost.

The machine's load average is recorded beside each size: the figures are only comparable at low load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_bm25 import QUESTIONS, generate, latencies_ms, peak_rss_mb, pick_tokenizer, summary

from bot.heap import keep_served
from retrieval import Answer, AnswerEngine, Article, corpus_fingerprint, load_corpus, segment_sentences

NEWSBOT = Path(sys.executable).with_name("newsbot")
NEW_ARTICLES_SEED = "2"
PROBE_WORDS = 12  # a question made of a sentence's first words finds that sentence


# ---- child processes: one step each, JSON on the last line of stdout ----------------------------


def current_rss_mb() -> float:
    """Resident memory now (the second field of statm, in pages)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def read_questions(count: int, skip: int = 0) -> list[str]:
    with open(QUESTIONS, encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle if line.strip()]
    return questions[skip : skip + count]


def start_engine(corpus: Path, cache: Path, question: str) -> tuple[AnswerEngine, dict[str, float]]:
    """Corpus on disk to the first answer, timed step by step, as ``NewsLibrary`` starts.

    The cache is looked up by the corpus file's stamp (``corpus_fingerprint``) first, so a restart
    reads no corpus (``load_corpus_s`` is then 0 and ``index_s`` is the cache load); otherwise the
    corpus is read and indexed, and the index is saved under that stamp.
    """
    start = time.perf_counter()
    key = corpus_fingerprint(corpus)
    engine = AnswerEngine.from_cache(cache, key)
    loaded = indexed = time.perf_counter()
    if engine is None:
        articles = load_corpus(corpus).articles
        loaded = time.perf_counter()
        engine = AnswerEngine.from_articles(articles, cache_dir=cache, source_key=key)
        indexed = time.perf_counter()
    engine.answer(question)
    answered = time.perf_counter()
    return engine, {
        "load_corpus_s": loaded - start if loaded != indexed else 0.0,
        "index_s": indexed - loaded if loaded != indexed else indexed - start,
        "first_answer_s": answered - indexed,
        "total_s": answered - start,
    }


def cold_start(args: argparse.Namespace) -> dict[str, Any]:
    engine, timings = start_engine(args.corpus, args.cache, read_questions(1)[0])
    return {"sentences": engine.sentence_count, "articles": len(engine.articles), **timings}


def probe(article: Article) -> str:
    """A question built from one of the article's sentences, so only that article answers it well."""
    sentences = segment_sentences(article.text, article.id)
    return "ما " + " ".join(sentences[len(sentences) // 2].text.split()[:PROBE_WORDS])


def quotes_article(answer: Answer, article_id: str) -> bool:
    return any(
        citation.article.id == article_id
        for quote in answer.quotes
        for citation in (quote.citation, *quote.also_in)
    )


@dataclass
class Served:
    """The engine being served; replaced whole, as the bot swaps engines."""

    engine: AnswerEngine


@contextmanager
def questions_in_background(
    served: Served, questions: Sequence[str], per_second: float
) -> Iterator[list[tuple[float, float]]]:
    """A thread asking ``questions`` in a loop at ``per_second``; yields (start, ms) records."""
    records: list[tuple[float, float]] = []
    stop = threading.Event()

    def ask() -> None:
        number = 0
        while not stop.is_set():
            start = time.perf_counter()
            served.engine.answer(questions[number % len(questions)])
            took = time.perf_counter() - start
            records.append((start, took * 1000))
            number += 1
            stop.wait(max(0.0, 1 / per_second - took))

    thread = threading.Thread(target=ask, name="questions", daemon=True)
    thread.start()
    try:
        yield records
    finally:
        stop.set()
        thread.join()


def add_articles(
    base: AnswerEngine, new: Sequence[Article], questions: Sequence[str], args: argparse.Namespace
) -> dict[str, Any]:
    """Seconds until the new articles are answered from, and answer latency meanwhile."""
    probes = [(article.id, probe(article)) for article in (new[0], new[-1])]
    incremental = getattr(base, "added", None)
    served = Served(base)
    with questions_in_background(served, questions, args.load_qps) as records:
        start = time.perf_counter()
        if callable(incremental):
            served.engine = incremental(new)
        else:
            served.engine = AnswerEngine.from_articles([*base.articles, *new])
        swapped = time.perf_counter()
        # Poll: an incremental engine may index in the background after returning.
        pending = dict(probes)
        while pending and time.perf_counter() - start < args.add_timeout:
            for article_id, question in list(pending.items()):
                if quotes_article(served.engine.answer(question), article_id):
                    del pending[article_id]
        answered = time.perf_counter()
    during = [ms for began, ms in records if start <= began < answered]
    return {
        "articles": len(new),
        "method": "added" if callable(incremental) else "full rebuild",
        "swap_s": swapped - start,
        "answered_s": answered - start if not pending else None,
        "not_answered_from": sorted(pending),
        "answer_during": summary(during) if during else None,
    }


def rank_bm25_baseline(engine: AnswerEngine, questions: Sequence[str], args: argparse.Namespace) -> Any:
    from rank_bm25 import BM25Okapi

    if engine.sentence_count > args.baseline_max:
        return f"skipped above {args.baseline_max:,} sentences"
    tokenizer, tokenize = pick_tokenizer("auto")
    corpus = [
        tokenize(sentence.text)
        for article in engine.articles
        for sentence in segment_sentences(article.text, article.id)
    ]
    baseline = BM25Okapi(corpus)
    queries = [tokenize(question) for question in questions]
    timings = latencies_ms(baseline.get_scores, queries, min(3, len(queries)))
    return {"get_scores": summary(timings), "tokenizer": tokenizer, "sentences": len(corpus)}


def restart_and_serve(args: argparse.Namespace) -> dict[str, Any]:
    warmups = read_questions(args.warmup)
    questions = read_questions(args.questions, skip=args.warmup)
    engine, timings = start_engine(args.corpus, args.cache, warmups[0])
    result: dict[str, Any] = {"restart": timings, "peak_rss_restart_mb": peak_rss_mb()}
    for question in warmups:
        engine.answer(question)
    keep_served(collect_first=True)  # as the bot serves (bot/app.py): the index out of the collector's walks
    result["answer"] = summary(latencies_ms(engine.answer, questions, 0))
    result["serving_rss_mb"] = current_rss_mb()
    new = load_corpus(args.new).articles if args.adds else ()
    result["adds"] = [add_articles(engine, new[:count], questions, args) for count in args.adds]
    result["peak_rss_adds_mb"] = peak_rss_mb()
    result["baseline"] = rank_bm25_baseline(engine, questions, args)
    return result


CHILD_STEPS = {"cold": cold_start, "serve": restart_and_serve}


# ---- the parent: corpora, child processes, the table ---------------------------------------------


@dataclass(frozen=True)
class Finished:
    stdout: str
    seconds: float
    peak_rss_mb: float


def run_measured(
    command: Sequence[str], *, stdin: Path | None = None, env: dict[str, str] | None = None
) -> Finished:
    """Run ``command`` to completion; its wall time and its own peak RSS (``wait4``)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        open(stdin or os.devnull, "rb") as source,
    ):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdin=source, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{command[:3]} failed ({child.returncode}):\n{err.read().decode()[-2000:]}")
        out.seek(0)
        return Finished(out.read().decode("utf-8"), seconds, usage.ru_maxrss / 1024)


def run_step(
    step: str, corpus: Path, cache: Path, new: Path | None, args: argparse.Namespace
) -> dict[str, Any]:
    """One child step's figures, with its peak RSS."""
    command = [sys.executable, __file__, "--step", step, "--corpus", str(corpus), "--cache", str(cache)]
    command += ["--new", str(new)] if new else []
    command += ["--questions", str(args.questions), "--warmup", str(args.warmup)]
    command += ["--adds", ",".join(map(str, args.adds)), "--load-qps", str(args.load_qps)]
    command += ["--baseline-max", str(args.baseline_max), "--add-timeout", str(args.add_timeout)]
    finished = run_measured(command)
    figures: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return {**figures, "peak_rss_mb": finished.peak_rss_mb}


def newsbot_ask(corpus: Path, cache: Path, folder: Path, count: int) -> dict[str, Any]:
    """One question vs ``count`` on standard input, each a fresh ``newsbot ask`` over the warm cache."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSBOT_")}
    env |= {"NEWSBOT_INDEX_CACHE": str(cache), "NEWSBOT_DB": str(folder / "no-store.sqlite3")}
    command = [str(NEWSBOT), "ask", "--corpus", str(corpus), "--json"]
    questions = read_questions(count)
    one = run_measured([*command, questions[0]], env=env)
    batch_input = folder / "questions.txt"
    batch_input.write_text("\n".join(" ".join(q.split()) for q in questions) + "\n", encoding="utf-8")
    batch = run_measured(command, stdin=batch_input, env=env)
    answers = len(batch.stdout.splitlines())
    return {
        "one_s": one.seconds,
        "batch_s": batch.seconds,
        "questions": answers,
        "extra_ms_per_question": (batch.seconds - one.seconds) * 1000 / max(1, answers - 1),
        "peak_rss_batch_mb": batch.peak_rss_mb,
    }


def corpus_file(size: int, folder: Path, *extra: str) -> Path:
    """The generator's corpus for ``size`` sentences (``extra`` generator flags), reused when kept."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"corpus-{size}.jsonl"
    return path if path.exists() else generate(size, folder, *extra)


def measure_size(size: int, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    corpus = corpus_file(size, data / "base")
    per_article = 20  # the generator's default
    new = None
    if args.adds:
        folder = data / f"new-seed{NEW_ARTICLES_SEED}"
        new = corpus_file(
            max(args.adds) * per_article, folder, "--seed", NEW_ARTICLES_SEED, "--id-prefix", "new"
        )
    cache = data / f"cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)  # a cold start starts from no cache
    result: dict[str, Any] = {"requested_sentences": size, "load_before": os.getloadavg()}
    result["cold"] = run_step("cold", corpus, cache, new, args)
    result["serve"] = run_step("serve", corpus, cache, new, args)
    result["newsbot_ask"] = newsbot_ask(corpus, cache, data, args.questions)
    result["load_after"] = os.getloadavg()
    return result


def ms(figures: dict[str, float]) -> str:
    return f"{figures['mean']:.1f} / {figures['p50']:.1f} / {figures['p95']:.1f}"


def print_tables(results: Sequence[dict[str, Any]]) -> None:
    print(
        "| sentences | cold start (load + index + 1st answer) | peak RSS cold | restart | RSS restart / serving"
        " | `answer` mean / p50 / p95 ms | `newsbot ask` 1 q / batch, extra per q | rank-bm25 get_scores"
        " mean / p95 ms | load avg |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        cold, serve, ask = r["cold"], r["serve"], r["newsbot_ask"]
        restart = serve["restart"]
        base = serve["baseline"]
        base_text = (
            base
            if isinstance(base, str)
            else f"{base['get_scores']['mean']:.1f} / {base['get_scores']['p95']:.1f}"
        )
        print(
            f"| {cold['sentences']:,} | {cold['total_s']:.1f} s ({cold['load_corpus_s']:.1f} + {cold['index_s']:.1f}"
            f" + {cold['first_answer_s']:.2f}) | {cold['peak_rss_mb']:.0f} MB | {restart['total_s']:.2f} s"
            f" ({restart['load_corpus_s']:.2f} + {restart['index_s']:.2f} + {restart['first_answer_s']:.2f})"
            f" | {serve['peak_rss_restart_mb']:.0f} / {serve['serving_rss_mb']:.0f} MB | {ms(serve['answer'])}"
            f" | {ask['one_s']:.1f} s / {ask['batch_s']:.1f} s, {ask['extra_ms_per_question']:.1f} ms"
            f" | {base_text} | {r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f} |"
        )
    if not any(r["serve"]["adds"] for r in results):
        return
    print(
        "\n| sentences | new articles | how | answered from after | swap after | `answer` mean / p50 / p95 ms"
        " meanwhile (n) | peak RSS serving + adds |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        for add in r["serve"]["adds"]:
            answered = "never" if add["answered_s"] is None else f"{add['answered_s']:.1f} s"
            during = add["answer_during"]
            during_text = "-" if during is None else f"{ms(during)} ({during['n']})"
            print(
                f"| {r['cold']['sentences']:,} | {add['articles']:,} | {add['method']} | {answered}"
                f" | {add['swap_s']:.1f} s | {during_text} | {r['serve']['peak_rss_mb']:.0f} MB |"
            )


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default=sizes("10000,100000,1000000"), help="sentence counts")
    parser.add_argument("--questions", type=int, default=300, help="timed ARCD questions")
    parser.add_argument("--warmup", type=int, default=20, help="ARCD questions asked before timing")
    parser.add_argument("--adds", type=sizes, default=sizes("100,1000"), help="new-article batch sizes")
    parser.add_argument("--load-qps", type=float, default=10.0, help="questions per second while adding")
    parser.add_argument("--add-timeout", type=float, default=3600.0, help="seconds to wait for new articles")
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=50_000,
        help="most sentences timed with rank-bm25 (slow: pure Python)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    parser.add_argument("--keep-data", type=Path, help="folder for corpora and caches, kept and reused")
    parser.add_argument("--step", choices=sorted(CHILD_STEPS), help=argparse.SUPPRESS)
    for hidden in ("--corpus", "--cache", "--new"):
        parser.add_argument(hidden, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        print(json.dumps(CHILD_STEPS[args.step](args)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-answer-path-") as scratch:
        data = args.keep_data or Path(scratch)
        results = []
        for size in args.sizes:
            results.append(measure_size(size, data, args))
            if not args.json:
                print(f"measured {size:,} sentences", file=sys.stderr)
    if args.json:
        print(json.dumps({"machine_cores": os.cpu_count(), "sizes": results}, indent=1))
    else:
        print_tables(results)


if __name__ == "__main__":
    main()
