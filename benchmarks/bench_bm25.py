"""Benchmark BM25Index against rank-bm25's BM25Okapi on synthetic Arabic corpora (not a test).

    python benchmarks/bench_bm25.py                       # 10k, 100k and 1M sentences
    python benchmarks/bench_bm25.py --sizes 10000,100000  # a subset

For every size it generates a corpus with ../shared/bench/make_corpus.py into a temporary
folder (deleted afterwards; ../shared is resolved next to the repository root), splits each
article into sentences with the generator's own reference splitter (whitespace after . ! ? ؟,
or a newline: it yields exactly 20 sentences per article), tokenises every sentence, and
measures in a fresh child process (so memory high-water marks do not carry over between
sizes):

* analysis, index build, save and load (mmap) seconds;
* peak memory: the process's RSS high-water mark (``resource.getrusage(...).ru_maxrss``), which
  includes the article texts and token lists the benchmark keeps, before and after the build;
* query latency p50/p95/mean over 300 real ARCD questions after 100 warm-up queries, for
  ``top_k(q, 10)`` and ``scores(q)`` on the loaded (memory-mapped) index, and for
  ``BM25Okapi.get_scores(q)`` as the baseline in the same run (on a sample of queries at 1M,
  where one query takes seconds), with speed-up ratios and the largest relative score
  difference seen.

Tokens come from the stem field of ``retrieval.analyzer.ArabicAnalyzer().field_terms`` when it is
importable (``--tokenizer auto``), else from a simple normalise + split-on-non-word tokenizer
that keeps stopwords (so frequent terms stress the top-k path).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SOURCE_CORPUS = SHARED / "eval" / "arcd" / "corpus.jsonl"
QUESTIONS = SHARED / "eval" / "arcd" / "questions.jsonl"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"

sys.path.insert(0, str(REPO_ROOT))

from retrieval.bm25_index import BM25Index  # noqa: E402

# make_corpus.py's reference sentence splitter.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\u061F])\s+|\n")
_TASHKEEL = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_WORD = re.compile(r"\w+")
TOP_K = 10


def simple_tokens(text: str) -> list[str]:
    """Fallback tokenizer: strip tashkeel/tatweel, fold alef/ya/ta marbuta, split on non-word."""
    return _WORD.findall(_TASHKEEL.sub("", text).translate(_FOLD).lower())


def pick_tokenizer(choice: str) -> tuple[str, Callable[[str], list[str]]]:
    if choice in ("auto", "analyzer"):
        try:
            from retrieval.analyzer import ArabicAnalyzer  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            if choice == "analyzer":
                raise
        else:
            analyzer = ArabicAnalyzer()
            return "ArabicAnalyzer stems", lambda text: analyzer.field_terms(text).stem
    return "simple normalise+split", simple_tokens


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def available_mb() -> float:
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("inf")


def latencies_ms(
    run: Callable[[Sequence[str]], object], queries: Sequence[Sequence[str]], warmup: int
) -> list[float]:
    for query in queries[:warmup]:
        run(query)
    timings = []
    for query in queries:
        start = time.perf_counter_ns()
        run(query)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings


def summary(timings: Sequence[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50": ordered[len(ordered) // 2],
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "mean": statistics.fmean(ordered),
        "n": len(ordered),
    }


def measure_one_size(corpus_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Everything for one corpus, run inside a fresh child process."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    tokenizer_name, tokenize = pick_tokenizer(args.tokenizer)
    sentences: list[str] = []
    with open(corpus_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                sentences.extend(
                    part for part in _SENTENCE_SPLIT.split(json.loads(line)["text"]) if part.strip()
                )
    result: dict[str, Any] = {"sentences": len(sentences), "tokenizer": tokenizer_name}

    # Interning keeps one str per distinct term, as any real corpus holder would.
    interned: dict[str, str] = {}
    start = time.perf_counter()
    token_lists = [[interned.setdefault(t, t) for t in tokenize(s)] for s in sentences]
    result["analysis_s"] = time.perf_counter() - start
    result["tokens"] = sum(map(len, token_lists))
    gc.collect()
    result["rss_before_build_mb"] = peak_rss_mb()

    start = time.perf_counter()
    index = BM25Index.build(token_lists)
    result["build_s"] = time.perf_counter() - start
    result["peak_rss_after_build_mb"] = peak_rss_mb()
    result["vocabulary"] = index.vocabulary_size

    with tempfile.TemporaryDirectory(prefix="bench-bm25-index-") as folder:
        target = Path(folder) / "index"
        start = time.perf_counter()
        index.save(target)
        result["save_s"] = time.perf_counter() - start
        result["disk_mb"] = sum(f.stat().st_size for f in target.iterdir()) / 2**20
        start = time.perf_counter()
        loaded = BM25Index.load(target, mmap=True)
        result["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        BM25Index.load(target, mmap=False)
        result["load_nommap_s"] = time.perf_counter() - start

        questions = []
        with open(QUESTIONS, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    questions.append(tokenize(json.loads(line)["question"]))
        timed = questions[: args.queries]
        warm = questions[: args.warmup]
        result["query_terms_mean"] = statistics.fmean(len(q) for q in timed)

        def top(query: Sequence[str]) -> object:
            return loaded.top_k(query, TOP_K)

        for query in warm:
            top(query)
        result["top_k"] = summary(latencies_ms(top, timed, 0))
        result["scores"] = summary(latencies_ms(loaded.scores, timed, args.warmup))
        result["peak_rss_after_queries_mb"] = peak_rss_mb()

        del index
        gc.collect()
        estimated_mb = 2.5 * len(sentences) / 1000 + 300  # BM25Okapi keeps one dict per sentence
        if estimated_mb > available_mb() * 0.8:
            result["baseline"] = f"skipped: BM25Okapi would need ~{estimated_mb:.0f} MB"
            return result
        start = time.perf_counter()
        baseline = BM25Okapi(token_lists)
        result["baseline_build_s"] = time.perf_counter() - start
        result["peak_rss_with_baseline_mb"] = peak_rss_mb()
        sample = timed if len(sentences) < 500_000 else timed[: args.baseline_sample]
        timings = []
        worst = 0.0
        for query in sample[: min(3, len(sample))]:  # warm-up; pure Python barely needs it
            baseline.get_scores(query)
        for query in sample:
            start_ns = time.perf_counter_ns()
            expected = baseline.get_scores(query)
            timings.append((time.perf_counter_ns() - start_ns) / 1e6)
            got = loaded.scores(query)
            scale = np.maximum(np.abs(expected), 1e-300)
            worst = max(worst, float(np.max(np.abs(got - expected) / scale)))
            got_ids, _ = loaded.top_k(query, TOP_K)
            if not np.array_equal(got_ids, np.argsort(-expected, kind="stable")[:TOP_K]):
                result.setdefault("top_k_mismatches", 0)
                result["top_k_mismatches"] += 1
        result["baseline"] = summary(timings)
        result["max_rel_diff"] = worst
    return result


def generate(size: int, folder: Path, *options: str) -> Path:
    """``size`` sentences from make_corpus.py (``options``: more of its flags, e.g. ``--seed 2``)."""
    out = folder / f"corpus-{size}.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(MAKE_CORPUS),
            "--source",
            str(SOURCE_CORPUS),
            "--sentences",
            str(size),
            "--out",
            str(out),
            *options,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def print_report(size: int, r: dict[str, Any]) -> None:
    print(
        f"\n== {size:,} requested sentences: {r['sentences']:,} sentences, {r['tokens']:,} tokens, "
        f"{r['vocabulary']:,} terms ({r['tokenizer']}; {r['query_terms_mean']:.1f} terms/question)"
    )
    print(
        f"analysis {r['analysis_s']:.2f} s | build {r['build_s']:.2f} s | save {r['save_s']:.2f} s "
        f"({r['disk_mb']:.0f} MB) | load mmap {r['load_s']:.3f} s, load into RAM {r['load_nommap_s']:.3f} s"
    )
    print(
        f"peak RSS (ru_maxrss, whole process): {r['rss_before_build_mb']:.0f} MB before build, "
        f"{r['peak_rss_after_build_mb']:.0f} MB after build, "
        f"{r['peak_rss_after_queries_mb']:.0f} MB after queries"
    )
    for name in ("top_k", "scores"):
        s = r[name]
        print(
            f"BM25Index.{name:<7} p50 {s['p50']:.3f} ms | p95 {s['p95']:.3f} ms | "
            f"mean {s['mean']:.3f} ms (n={s['n']})"
        )
    base = r["baseline"]
    if isinstance(base, str):
        print(f"rank-bm25 baseline {base}")
        return
    print(
        f"rank-bm25 get_scores p50 {base['p50']:.1f} ms | p95 {base['p95']:.1f} ms | "
        f"mean {base['mean']:.1f} ms "
        f"(n={base['n']}; BM25Okapi build {r['baseline_build_s']:.1f} s, peak RSS then "
        f"{r['peak_rss_with_baseline_mb']:.0f} MB)"
    )
    print(
        f"speed-up (mean): scores {base['mean'] / r['scores']['mean']:.0f}x, "
        f"top_k {base['mean'] / r['top_k']['mean']:.0f}x; "
        f"max relative score difference {r['max_rel_diff']:.1e}; top-{TOP_K} order mismatches "
        f"{r.get('top_k_mismatches', 0)}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated sentence counts")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--baseline-sample", type=int, default=10, help="baseline queries timed at >= 500k")
    parser.add_argument("--tokenizer", choices=("auto", "analyzer", "simple"), default="auto")
    parser.add_argument("--one-corpus", type=Path, help=argparse.SUPPRESS)  # child-process mode
    args = parser.parse_args(argv)
    if args.one_corpus:
        print(json.dumps(measure_one_size(args.one_corpus, args)))
        return
    passthrough = [
        "--queries",
        str(args.queries),
        "--warmup",
        str(args.warmup),
        "--baseline-sample",
        str(args.baseline_sample),
        "--tokenizer",
        args.tokenizer,
    ]
    with tempfile.TemporaryDirectory(prefix="bench-bm25-") as folder:
        for size in (int(part) for part in args.sizes.split(",")):
            corpus = generate(size, Path(folder))
            child = subprocess.run(
                [sys.executable, __file__, "--one-corpus", str(corpus), *passthrough],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            print_report(size, json.loads(child.stdout.strip().splitlines()[-1]))
            corpus.unlink()


if __name__ == "__main__":
    main()
