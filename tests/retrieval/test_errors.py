"""One documented error tree: the docstring of retrieval.errors is the real hierarchy, and it holds every raise."""

import ast
import inspect
import re
from pathlib import Path

import pytest

import retrieval
from retrieval import errors

ROOT = Path(__file__).parents[2]
# Broken contracts (top_k=0, a 16-bit C int) are bugs in the caller or platform, not errors to handle.
# IndexError: the sequence protocol (lazily stored articles are a Sequence) requires it.
CONTRACT_ERRORS = {"ValueError", "RuntimeError", "IndexError"}
ERROR_CLASSES = {
    name: cls
    for name, cls in vars(errors).items()
    if inspect.isclass(cls) and issubclass(cls, Exception) and cls.__module__ == errors.__name__
}


def _documented_tree() -> dict[str, str | None]:
    """Each class named in the module docstring, mapped to the class it is drawn under."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^([ │├└─]*)([A-Z]\w+Error)\b", line)
        if not match:
            continue
        column, name = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= column:
            stack.pop()
        parents[name] = stack[-1][1] if stack else None
        stack.append((column, name))
    return parents


def test_the_docstring_draws_the_real_hierarchy() -> None:
    tree = _documented_tree()
    assert set(tree) == set(ERROR_CLASSES)
    for name, parent in tree.items():
        base = ERROR_CLASSES[name].__bases__[0]
        assert base.__name__ == (parent or "Exception"), name


@pytest.mark.parametrize("name", sorted(ERROR_CLASSES))
def test_every_error_is_public_and_under_the_root(name: str) -> None:
    assert name in retrieval.__all__
    assert issubclass(ERROR_CLASSES[name], retrieval.RetrievalError)


def test_every_raise_in_retrieval_is_under_the_root() -> None:
    strays = []
    for path in sorted((ROOT / "retrieval").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                name = raised.id if isinstance(raised, ast.Name) else ast.unparse(raised)
                if name not in ERROR_CLASSES and name not in CONTRACT_ERRORS:
                    strays.append(f"{path.relative_to(ROOT)}:{node.lineno} raises {name}")
    assert strays == []


def test_unsupported_file_error_names_what_is_read() -> None:
    error = errors.UnsupportedFileError(".xml", {".txt", ".md", ".jsonl"})
    assert str(error) == "unsupported file type .xml (expected .jsonl, .md or .txt)"
