"""retrieval/ is a pure library: a pinned public surface, no Telegram, no settings."""

import ast
import subprocess
import sys
from pathlib import Path

import retrieval

ROOT = Path(__file__).parents[2]
FORBIDDEN = {"telegram", "config", "bot", "pydantic_settings"}


def test_public_names_are_pinned() -> None:
    # Equality, not a subset: adding a public name is a decision this test makes visible.
    assert len(set(retrieval.__all__)) == len(retrieval.__all__)
    assert set(retrieval.__all__) == {
        "MAX_QUESTION_CHARS",
        "Answer",
        "AnswerEngine",
        "AliasTable",
        "AnswerPolicy",
        "ArabicAnalyzer",
        "Article",
        "ArticleFileError",
        "BM25Index",
        "BM25Params",
        "BadStatusError",
        "BadURLError",
        "BlockedAddressError",
        "Citation",
        "CorpusError",
        "CorpusLoad",
        "DateRange",
        "DecodeError",
        "EmptyCorpusError",
        "ExtractionError",
        "FeedError",
        "FetchError",
        "FetchTimeoutError",
        "Fields",
        "IndexFormatError",
        "ModelFormatError",
        "ItemError",
        "LoadProblem",
        "NoArticleError",
        "NotArabicError",
        "Question",
        "QuestionKind",
        "RankingModel",
        "Quote",
        "RecencyPreference",
        "RetrievalError",
        "SearchWeights",
        "Sentence",
        "StoreError",
        "TimeExpression",
        "TooLargeError",
        "TooManyRedirectsError",
        "UnreachableError",
        "UnsupportedContentError",
        "UnsupportedFileError",
        "arabic_ratio",
        "content_key",
        "has_arabic",
        "corpus_fingerprint",
        "load_corpus",
        "load_or_build",
        "normalize_arabic",
        "parse_time_expression",
        "published_day",
        "segment_sentences",
    }
    assert all(hasattr(retrieval, name) for name in retrieval.__all__)


def test_no_module_of_retrieval_imports_telegram_or_settings() -> None:
    offenders = []
    for path in (ROOT / "retrieval").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_retrieval_loads_no_telegram_module() -> None:
    code = f"import sys, retrieval; print(sorted({{m.split('.')[0] for m in sys.modules}} & {FORBIDDEN!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
