"""The command-line parser for sphinx-argparse: the CLI reference is generated from it, so it cannot drift."""


def parser():
    """``scalingtheory``'s argument parser with every subcommand configured.

    Each subcommand's ``--help`` ends with the exit-status table; the reference shows that table once, on
    its own page, so the copies are left out of the epilogs here (they are preformatted text, which
    sphinx-argparse would read as reStructuredText).
    """
    import argparse

    from scalingtheory.cli import build_parser

    top = build_parser()[0]
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.epilog = None
    return top
