"""conftest.built_once: the real site is built once per pytest session, also under pytest -n 2, where the
two test processes ask for it at about the same moment (conftest.real_builds)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import REPO, built_once


MAKER = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from conftest import built_once

    def make(output):
        with open(Path(sys.argv[1]).parent / "made.log", "a") as log:
            log.write("made\\n")
        time.sleep(0.3)  # the other process asks meanwhile
        output.mkdir()
        (output / "index.html").write_text("klaar")

    print(built_once(Path(sys.argv[1]), make))
""").format(tests=str(REPO / "tests"))


def test_two_processes_asking_at_once_get_one_build(tmp_path):
    script = tmp_path / "maker.py"
    script.write_text(MAKER)
    folder = tmp_path / "shared" / "real-x"
    processes = [subprocess.Popen([sys.executable, str(script), str(folder)], stdout=subprocess.PIPE, text=True,
                                  cwd=REPO / "tests") for _ in range(2)]
    printed = [process.communicate(timeout=60)[0].strip() for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    assert printed == [str(folder / "output")] * 2
    assert (folder.parent / "made.log").read_text() == "made\n"
    assert (folder / "output" / "index.html").read_text() == "klaar"


def test_a_build_that_failed_is_made_again_by_the_next_to_ask(tmp_path):
    def fail(output):
        output.mkdir()
        (output / "half.html").write_text("half")
        raise AssertionError("the build failed")

    made = []

    def make(output):
        made.append(output)
        output.mkdir()

    with pytest.raises(AssertionError, match="the build failed"):
        built_once(tmp_path / "real-x", fail)
    output = built_once(tmp_path / "real-x", make)
    assert made == [output] and list(output.iterdir()) == []
    assert built_once(tmp_path / "real-x", make) == output and made == [output]
