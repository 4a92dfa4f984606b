"""``python -m knowledge``: import a catalog, check a store profile, evaluate retrieval.

  python -m knowledge import FILE [--dry-run]   validate, show changes, publish (SAUDA_DATA_DIR)
  python -m knowledge profile check FILE        validate a store profile YAML
  python -m knowledge eval FILE [--mode M]      top-1 product accuracy on a labelled question set
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.catalog import diff
from knowledge.importers import import_file
from knowledge.live import data_dir
from knowledge.problems import ImportRefused
from knowledge.profile import ProfileInvalid, load_profile


def _import(args: argparse.Namespace) -> int:
    try:
        result = import_file(Path(args.file))
    except ImportRefused as refused:
        print(f"not imported: {sum(p.severity == 'error' for p in refused.problems)} error(s)", file=sys.stderr)
        for problem in refused.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"  {warning}")
    if result.skipped:
        print(f"not offered (draft/archived): {', '.join(result.skipped)}")
    from knowledge.versions import CatalogStore

    store = CatalogStore(Path(args.data_dir))
    if args.dry_run:
        live = store.load()
        changes = diff(live.catalog if live else None, result.catalog)
        print(f"dry run ({result.format}, {len(result.catalog)} products): {changes.summary()}")
    else:
        published = store.publish(result.catalog, source=args.file)
        changes = published.changes
        print(f"imported {len(result.catalog)} products ({result.format}) as version {published.version} "
              f"[{published.index_kind} index, {published.embedded} embedded, {published.reused} reused, "
              f"{published.seconds:.1f} s]: {changes.summary()}")
    for pid in changes.added:
        print(f"  + {pid}")
    for pid in changes.removed:
        print(f"  - {pid}")
    for pid, notes in changes.changed.items():
        print(f"  ~ {pid}: " + "; ".join(notes))
    return 0


def _profile(args: argparse.Namespace) -> int:
    try:
        profile = load_profile(Path(args.file))
    except ProfileInvalid as invalid:
        print(invalid, file=sys.stderr)
        return 1
    print(f"{args.file}: valid profile for {profile.store_name} "
          f"({len(profile.delivery.cities)} cities, {len(profile.faq)} FAQ entries)")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from knowledge.evaluation import evaluate, load_questions

    questions = load_questions(Path(args.file))
    for mode in args.mode:
        report = evaluate(questions, mode=mode)
        print(f"{mode}: top-1 product {report.accuracy:.1%} ({report.correct}/{report.total})")
        for miss in report.misses[: args.show]:
            print(f"  miss: {miss}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="validate and publish a catalog file")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="validate and show changes only")
    imp.add_argument("--data-dir", default=str(data_dir()))
    imp.set_defaults(run=_import)
    prof = commands.add_parser("profile", help="store profile tools")
    prof.add_argument("action", choices=["check"])
    prof.add_argument("file")
    prof.set_defaults(run=_profile)
    ev = commands.add_parser("eval", help="retrieval accuracy on a labelled question set")
    ev.add_argument("file")
    ev.add_argument("--mode", nargs="+", default=["hybrid", "dense", "lexical"])
    ev.add_argument("--show", type=int, default=10, help="misses to print per mode")
    ev.set_defaults(run=_eval)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
