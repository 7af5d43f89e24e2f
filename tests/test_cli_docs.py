"""Command-line manners, checked for every command there is (as sqlite-utils'
tests/test_docs.py does): each has --help with an example, lists every
option in it, is documented in README.md's Commands section, refuses an
unknown option with exit status 2, and offers --json where it prints a
summary."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ufgraph import __version__
from ufgraph.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
SUMMARY_COMMANDS = ("refresh", "export", "stats", "doctor")  # they print a summary, so they take --json


def _commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


COMMANDS = _commands()
IDS = [" ".join(path) for path, _ in COMMANDS]


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _commands_section() -> str:
    text = README.read_text("utf-8")
    match = re.search(r"^## Commands\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, "README.md has no '## Commands' section"
    return match.group(1)


def test_there_are_commands_to_check():
    assert {"extract", "export", "stats", "doctor"} <= set(IDS)


@pytest.mark.parametrize("path,command", COMMANDS, ids=IDS)
def test_help_has_an_example_and_every_option(path, command):
    text = _help(path)
    assert "Example: ufgraph " + " ".join(path) in text, f"ufgraph {' '.join(path)} --help shows no example"
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if param.hidden:
            # Only secrets hide, and they come from the environment instead.
            assert param.envvar, f"{param.name} is hidden but has no environment variable"
            continue
        for opt in param.opts:
            assert re.search(rf"(^|[\s,/]){re.escape(opt)}\b", text), f"{opt} missing from {' '.join(path)} --help"


@pytest.mark.parametrize("path,command", COMMANDS, ids=IDS)
def test_every_command_is_in_the_readme(path, command):
    assert f"`ufgraph {' '.join(path)}`" in _commands_section(), \
        f"README.md's Commands section does not document `ufgraph {' '.join(path)}`"


@pytest.mark.parametrize("path,command", COMMANDS, ids=IDS)
def test_unknown_options_are_usage_errors(path, command):
    result = CliRunner().invoke(main, [*path, "--no-such-option"])
    assert result.exit_code == 2 and "No such option" in result.output


@pytest.mark.parametrize("name", SUMMARY_COMMANDS)
def test_summary_commands_take_json(name):
    if name not in main.commands:
        pytest.skip(f"no `{name}` command yet")
    assert "--json" in {opt for p in main.commands[name].params for opt in getattr(p, "opts", [])}


def test_group_help_lists_every_command_and_version_works():
    text = _help(())
    for name in main.commands:
        assert re.search(rf"^\s+{re.escape(name)}\b", text, re.M), f"{name} missing from ufgraph --help"
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"ufgraph, version {__version__}"
