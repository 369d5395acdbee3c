"""Every shell and Python example of README.md and docs/*.md runs as written (at the size URBANIZE_DOCS_SCALE
sets), so a broken example fails the suite; see doc_blocks.py for the rules."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from doc_blocks import (  # noqa: E402
    REPO,
    SHELL,
    Block,
    PythonSession,
    blocks,
    commands,
    doc_files,
    run_shell,
    scratch,
    serve_and_probe,
)

DOCS = doc_files()
#: languages of blocks that are shown, not run (data and output)
SHOWN = {"toml", "text", "json", "csv", "ini", "yaml", "mermaid"}


def _name(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_every_block_says_its_language() -> None:
    """An untagged block would never run: every fence names its language."""
    bad = [b.where for path in DOCS for b in blocks(path) if not b.lang]
    assert not bad, f"tag these blocks (```bash, ```python, ```toml, ```text ...): {', '.join(bad)}"


def test_not_run_markers_give_a_reason_and_mark_a_runnable_block() -> None:
    for path in DOCS:
        for b in blocks(path):
            if b.not_run is not None:
                assert b.not_run, f"{b.where}: say why the block is not run: <!-- not-run: reason -->"
                assert b.lang in SHELL | {"python"}, f"{b.where}: only shell and python blocks run"


def test_example_files_match_the_documents() -> None:
    """A toml block headed '# docs/examples/NAME.toml' is that file, so the commands that use it run it."""
    for path in DOCS:
        for b in blocks(path):
            first = b.text.splitlines()[0] if b.text.strip() else ""
            if b.lang == "toml" and first.startswith("# docs/examples/"):
                shipped = REPO / first[2:].strip()
                assert shipped.is_file(), f"{b.where}: {shipped.relative_to(REPO)} does not exist"
                assert shipped.read_text(encoding="utf-8") == b.text, f"{b.where} differs from {first[2:]}"


def _runnable(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang in SHELL | {"python"} and b.not_run is None]


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in DOCS if _runnable(p)], ids=_name)
def test_examples_run_as_written(path: Path, tmp_path: Path) -> None:
    """The file's shell and Python blocks, in order, in one scratch folder; servers are probed apart."""
    cwd = scratch(tmp_path)
    session: PythonSession | None = None
    try:
        for block in _runnable(path):
            if block.lang == "python":
                session = session or PythonSession(cwd)
                session.run(block)
            else:
                run_shell(block, cwd, servers=False)
    finally:
        if session is not None:
            session.close()


def _servers() -> list[tuple[Block, str]]:
    """Each distinct ``urbanize viz`` command (the port and host are the harness's, so commands that differ
    only there are one server)."""
    seen: dict[tuple[str, ...], tuple[Block, str]] = {}
    for path in DOCS:
        for b in _runnable(path):
            for c in commands(b.text) if b.lang in SHELL else []:
                if c.startswith("urbanize viz"):
                    args = shlex.split(c, comments=True)
                    for flag in ("--port", "--host"):
                        if flag in args:
                            del args[args.index(flag) : args.index(flag) + 2]
                    seen.setdefault(tuple(args), (b, c))
    return list(seen.values())


SERVERS = _servers()


@pytest.mark.slow
@pytest.mark.parametrize(
    "block,cmd", SERVERS, ids=[f"{b.where} {c.split('#')[0].strip()}" for b, c in SERVERS]
)
def test_servers_start_and_answer(block: Block, cmd: str, tmp_path: Path) -> None:
    serve_and_probe(block, cmd, scratch(tmp_path))


# --- the harness itself --------------------------------------------------------------------------------------------
def test_blocks_are_parsed_with_their_markers(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text(
        "text\n\n<!-- not-run: needs SLURM -->\n\n```bash\nsbatch job.sh\n```\n\n* item:\n\n  ```python\n"
        "  print(1)\n\n  x = 2\n  ```\n```\nplain\n```\n",
        encoding="utf-8",
    )
    found = [(b.line, b.lang, b.text, b.not_run) for b in blocks(doc)]
    assert found == [
        (5, "bash", "sbatch job.sh\n", "needs SLURM"),
        (11, "python", "print(1)\n\nx = 2\n", None),
        (16, "", "plain\n", None),
    ]


def test_commands_join_continuations_and_drop_comments() -> None:
    script = "# a comment\nurbanize run --city yanta \\\n    --out x   # trailing\n\nurbanize viz\n"
    assert commands(script) == ["urbanize run --city yanta      --out x   # trailing", "urbanize viz"]


def test_a_failing_example_fails(tmp_path: Path) -> None:
    bad = Block(REPO / "README.md", 1, "bash", "urbanize run --city atlantis --out x\n", None)
    with pytest.raises(AssertionError, match="unknown city|atlantis"):
        run_shell(bad, scratch(tmp_path), servers=False)
    session = PythonSession(tmp_path)
    try:
        session.run(Block(REPO / "README.md", 1, "python", "x = 1\n", None))
        session.run(Block(REPO / "README.md", 2, "python", "assert x == 1\n", None))  # one namespace per file
        with pytest.raises(AssertionError, match="ZeroDivisionError"):
            session.run(Block(REPO / "README.md", 3, "python", "1 / 0\n", None))
    finally:
        session.close()
