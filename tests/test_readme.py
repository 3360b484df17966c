"""The README's REPL session runs as written, and its set-up commands are what CI runs."""
import doctest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_repl_session():
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 5 and result.failed == 0


def test_readme_opens_with_two_setup_commands_and_ci_runs_the_second():
    text = (ROOT / "README.md").read_text()
    block = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2 and "scalingtheory report" in block[0] and "pytest" in block[1]
    assert block[1] in (ROOT / ".ci" / "run").read_text().splitlines()
