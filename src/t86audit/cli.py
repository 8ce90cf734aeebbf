"""The ``t86audit`` command line.

Subcommands: ``audit``, ``sample``, ``load``, ``rules``, ``explain``. Exit status: 0 when the
command ran (whatever it found); 1 only when ``audit --fail-on`` is given and an unwaived finding
of that severity or worse exists; 2 for a usage error or input that cannot be read at all, with a
one-line message on standard error and never a traceback.

``audit`` (without ``--samples``) and ``load`` stream their input: entries are read, audited
or counted, and dropped one at a time, so a year of filings needs no more memory than the
group rules' state. If the rows of an entry are not adjacent in the file, a one-line note on
standard error says so and the input is loaded in memory instead. On a terminal, a progress
line on standard error shows the entries done and the entries per second.

``audit --format`` is one of ``text`` (default), ``markdown``, ``html``, ``json`` and ``csv``;
the format is never guessed from the ``--output`` file name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from t86audit.exceptions import T86AuditError


if TYPE_CHECKING:
    from t86audit.io import EntryStream, LoadResult


__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class _UsageError(Exception):
    """A problem with the command's arguments, reported as exit status 2."""


def _csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="CSV (.csv), JSON (.json) or JSON Lines (.jsonl) files of entries",
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE",
        help="column mapping file (JSON object or CSV canonical,header)",
    )
    parser.add_argument(
        "--encoding", default="utf-8", help="text encoding of the input files (default utf-8)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first unreadable row instead of reporting it",
    )


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE instead of standard output"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite --output if it already exists"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    from t86audit import __version__  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="t86audit",
        description="Audit Entry Type 86 (Section 321) filings against the law in force on "
        "each entry's date, as far as the filed data can show. Evidence, not legal advice.",
    )
    parser.add_argument("--version", action="version", version=f"t86audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_audit = sub.add_parser("audit", help="run the rules and write a report")
    _add_input_options(p_audit)
    _add_output_options(p_audit)
    p_audit.add_argument(
        "--format",
        choices=("text", "markdown", "html", "json", "csv"),
        default="text",
        help="report format (default text); csv has one row per finding",
    )
    p_audit.add_argument(
        "--select",
        type=_csv_list,
        default=[],
        metavar="CODES",
        help="comma-separated rule codes or prefixes to run, e.g. VAL,CON",
    )
    p_audit.add_argument(
        "--ignore",
        type=_csv_list,
        default=[],
        metavar="CODES",
        help="comma-separated rule codes or prefixes to skip, e.g. DES003",
    )
    p_audit.add_argument(
        "--samples",
        metavar="FILE",
        action="append",
        default=[],
        help="samples file (from `t86audit sample`) to evaluate; repeat for several files "
        "(for example two cited samples of a CBP letter)",
    )
    p_audit.add_argument(
        "--waivers",
        metavar="FILE",
        help="waivers CSV (entry_number,code,reason,reviewer,date); waived findings stay in "
        "the report, marked, and do not count toward --fail-on",
    )
    p_audit.add_argument(
        "--target-rate",
        type=float,
        default=0.05,
        metavar="RATE",
        help="violation rate for each sample's zero-failure sample size (default 0.05: 59)",
    )
    p_audit.add_argument(
        "--fail-on",
        choices=("violation", "warning"),
        help="exit 1 if an unwaived finding of this severity or worse exists",
    )
    p_audit.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="CODE.NAME=VALUE",
        help="set a rule option, e.g. CON007.max_names=8 (repeatable)",
    )
    p_audit.add_argument(
        "--generated-at",
        metavar="ISO8601",
        help="fix the report's timestamp (for reproducible output)",
    )
    p_audit.add_argument(
        "--redact",
        action="store_true",
        help="replace consignee and seller names and addresses with keyed pseudonyms "
        "(key from $T86AUDIT_REDACT_KEY or --redact-key-file)",
    )
    p_audit.add_argument(
        "--redact-key-file",
        metavar="FILE",
        help="file holding the redaction key (64 hex digits or a passphrase of 16+ bytes); "
        "implies --redact",
    )
    tables = p_audit.add_argument_group(
        "reference tables", "replace a bundled table, or supply one no public source provides"
    )
    tables.add_argument(
        "--hts",
        metavar="FILE",
        help="a newer HTSUS schedule CSV (columns chapter,htsno,indent,description)",
    )
    tables.add_argument(
        "--adcvd", metavar="FILE", help="AD/CVD orders CSV replacing the bundled China table"
    )
    tables.add_argument(
        "--adcvd-hts",
        metavar="FILE",
        help="the HTS numbers in scope of the --adcvd orders (case_number,hts,...)",
    )
    tables.add_argument(
        "--quota",
        metavar="FILE",
        help=(
            "quota goods CSV (hts,quota,country_code) added to the bundled quota list "
            "(HTSUS 2025 tariff-rate quotas); see examples/tables"
        ),
    )
    tables.add_argument(
        "--quota-replace",
        action="store_true",
        help="check quota goods against the --quota file alone, not the bundled list",
    )
    tables.add_argument(
        "--pga-flags",
        metavar="FILE",
        help="PGA flags of your HTS numbers CSV (hts,flags); see examples/tables",
    )

    p_sample = sub.add_parser("sample", help="draw judgment samples, or rebuild cited ones")
    _add_input_options(p_sample)
    _add_output_options(p_sample)
    p_sample.add_argument("--size", type=int, default=10, help="entries per sample (default 10)")
    p_sample.add_argument("--count", type=int, default=1, help="number of samples (default 1)")
    p_sample.add_argument("--seed", type=int, help="random seed (required to draw)")
    p_sample.add_argument(
        "--stratify-by", metavar="FIELD", help="port, seller, consignee, month or filer_code"
    )
    p_sample.add_argument(
        "--cite",
        type=_csv_list,
        metavar="NUMBERS",
        help="rebuild a cited sample from comma-separated entry numbers",
    )
    p_sample.add_argument("--note", default="", help="a note kept with the sample")
    p_sample.add_argument(
        "--id",
        metavar="ID",
        help="the sample id: of a cited sample (default cited-1), or the prefix of drawn "
        "samples (default S, giving S1, S2, ...)",
    )
    p_sample.add_argument(
        "--drawn-at",
        metavar="ISO8601",
        help="fix the samples' timestamp (for reproducible output)",
    )

    p_load = sub.add_parser("load", help="read input files and print the accounting")
    _add_input_options(p_load)
    p_load.add_argument("--format", choices=("text", "json"), default="text")

    p_rules = sub.add_parser("rules", help="list the registered rules")
    p_rules.add_argument("--format", choices=("text", "json"), default="text")

    p_explain = sub.add_parser("explain", help="explain one rule")
    p_explain.add_argument("code", help="a rule code, e.g. VAL002")
    return parser


def _timestamp(text: str | None, what: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        msg = f"{what} {text!r} is not an ISO 8601 date-time"
        raise _UsageError(msg) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _load(args: argparse.Namespace) -> LoadResult:
    from t86audit.io import load, read_mapping  # noqa: PLC0415

    mapping = read_mapping(args.mapping) if args.mapping else None
    return load(*args.paths, mapping=mapping, encoding=args.encoding, strict=args.strict)


def _stream(args: argparse.Namespace, stderr: TextIO) -> EntryStream:
    """The input files as a stream: entries are read as the audit goes, not all at once."""
    from t86audit.io import read_mapping, stream  # noqa: PLC0415

    def notice(message: str) -> None:
        # Start on a line of its own if a progress line is being drawn.
        lead = "\n" if stderr.isatty() else ""
        stderr.write(f"{lead}t86audit {args.command}: note: {message}\n")

    mapping = read_mapping(args.mapping) if args.mapping else None
    return stream(
        *args.paths,
        mapping=mapping,
        encoding=args.encoding,
        strict=args.strict,
        on_fallback=notice,
    )


def _write(
    content: str | Callable[[TextIO], object],
    output: str | None,
    *,
    force: bool,
    stdout: TextIO,
) -> None:
    """Write to standard output, or atomically to a file (temporary file, then rename).

    ``content`` is the text, or a function that writes it to the stream it is given piece by
    piece (a large report is never whole in memory). If it fails part way, the temporary file
    is removed and the target is left as it was.
    """
    emit: Callable[[TextIO], object]
    if isinstance(content, str):
        text = content

        def emit(stream: TextIO) -> object:
            return stream.write(text)
    else:
        emit = content
    if output is None:
        emit(stdout)
        return
    target = Path(output)
    if target.exists() and not force:
        msg = f"{output} already exists; pass --force to overwrite it"
        raise _UsageError(msg)
    directory = target.parent if str(target.parent) else Path()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            emit(handle)
        # mkstemp creates the file 0600; give the report the permissions a normal file gets.
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parse_options(items: Sequence[str]) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        code, dot, option = name.partition(".")
        if not sep or not dot or not code or not option:
            msg = f"--option {item!r} must look like CODE.NAME=VALUE"
            raise _UsageError(msg)
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        options.setdefault(code.strip().upper(), {})[option.strip()] = value
    return options


def _progress(stream: TextIO, verb: str = "audited") -> Any:
    """A progress callback drawing one line on a terminal: entries done, entries per second."""

    def report(done: int, seconds: float) -> None:
        rate = done / seconds if seconds > 0 else 0.0
        stream.write(f"\r{done:,} entries {verb} ({rate:,.0f}/s)")
        stream.flush()

    return report


def _file_record(path: str) -> dict[str, str]:
    """A file's path and SHA-256, for the audit trail (read again: it is small)."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {"path": path, "sha256": digest}


def _reference(args: argparse.Namespace, invocation: dict[str, Any]) -> Any:
    """The reference tables of ``audit``: bundled, or replaced by the files given."""
    # The module, not its names: the user-table classes load only when a table is given.
    from t86audit import reference  # noqa: PLC0415
    from t86audit.refset import ReferenceSet  # noqa: PLC0415

    if args.adcvd_hts and not args.adcvd:
        msg = "--adcvd-hts needs --adcvd (the orders the HTS numbers belong to)"
        raise _UsageError(msg)
    if args.quota_replace and not args.quota:
        msg = "--quota-replace needs --quota (the table that replaces the bundled quota list)"
        raise _UsageError(msg)
    for name in ("hts", "adcvd", "adcvd_hts", "quota", "pga_flags"):
        path = getattr(args, name)
        if path:
            invocation[f"{name}_file"] = _file_record(path)
    return ReferenceSet(
        hts=reference.HtsSchedule.from_csv(args.hts) if args.hts else None,
        adcvd=reference.AdcvdTable.from_csv(args.adcvd, args.adcvd_hts) if args.adcvd else None,
        quota=reference.QuotaTable.from_csv(args.quota) if args.quota else None,
        pga_flags=reference.PgaFlagTable.from_csv(args.pga_flags) if args.pga_flags else None,
        quota_mode="replace" if args.quota_replace else "extend",
    )


def _cmd_audit(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from t86audit.api import audit  # noqa: PLC0415
    from t86audit.waivers import read_waivers  # noqa: PLC0415

    if not 0 < args.target_rate < 1:
        msg = f"--target-rate must be strictly between 0 and 1, got {args.target_rate}"
        raise _UsageError(msg)
    generated_at = _timestamp(args.generated_at, "--generated-at")
    # Samples are rebuilt from the whole population (and checked against its fingerprint),
    # so an audit with --samples loads it in memory; any other audit streams its input.
    population: LoadResult | EntryStream
    if args.samples:
        # Only here: an audit without samples never needs the sampling module.
        from t86audit.sample import read_samples  # noqa: PLC0415

        loaded = _load(args)
        population = loaded
        samples = tuple(
            sample for path in args.samples for sample in read_samples(path, loaded.entries)
        )
        ids = [s.id for s in samples]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            msg = (
                f"sample id(s) {', '.join(repeated)} appear in more than one --samples file; "
                "give each sample its own id (t86audit sample --id)"
            )
            raise _UsageError(msg)
    else:
        population = _stream(args, stderr)
        samples = ()
    waivers = read_waivers(args.waivers, encoding=args.encoding) if args.waivers else None
    invocation: dict[str, Any] = {"command": "audit", "format": args.format}
    if args.fail_on:
        invocation["fail_on"] = args.fail_on
    if args.mapping:
        invocation["mapping_file"] = _file_record(args.mapping)
    if args.samples:
        invocation["samples_file"] = _file_record(args.samples[0])
        if len(args.samples) > 1:
            invocation["samples_files"] = [_file_record(p) for p in args.samples]
    if args.strict:
        invocation["strict"] = True
    reference = _reference(args, invocation)
    redact_key = None
    if args.redact or args.redact_key_file:
        from t86audit.redact import read_key  # noqa: PLC0415

        redact_key = read_key(args.redact_key_file)
    tty = stderr.isatty()
    report = audit(
        population,
        reference=reference,
        samples=samples,
        select=args.select,
        ignore=args.ignore,
        options=_parse_options(args.option),
        waivers=waivers,
        target_rate=args.target_rate,
        generated_at=generated_at,
        invocation=invocation,
        progress=_progress(stderr) if tty else None,
        redact_key=redact_key,
    )
    if tty:
        stderr.write("\n")
    _write(
        lambda stream: report.write(args.format, stream),
        args.output,
        force=args.force,
        stdout=stdout,
    )
    if report.unused_waivers:
        stderr.write(
            f"note: {len(report.unused_waivers)} waiver(s) matched no finding; "
            "see the report's waivers section\n"
        )
    if args.fail_on and report.has_at_least(args.fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


def _cmd_sample(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from t86audit.sample import cited_sample, draw_samples, samples_to_json  # noqa: PLC0415

    loaded = _load(args)
    drawn_at = _timestamp(args.drawn_at, "--drawn-at")
    if args.cite:
        samples: tuple[Any, ...] = (
            cited_sample(
                loaded.entries,
                args.cite,
                id=args.id or "cited-1",
                note=args.note,
                drawn_at=drawn_at,
            ),
        )
    else:
        if args.seed is None:
            msg = "sample needs --seed N to draw (or --cite NUMBERS to rebuild a cited sample)"
            raise _UsageError(msg)
        samples = draw_samples(
            loaded.entries,
            size=args.size,
            count=args.count,
            id_prefix=args.id or "S",
            seed=args.seed,
            stratify_by=args.stratify_by,
            drawn_at=drawn_at,
        )
    document = samples_to_json(samples, loaded.entries)
    _write(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        args.output,
        force=args.force,
        stdout=stdout,
    )
    if loaded.errors:
        stderr.write(
            f"note: {loaded.rows_rejected} row(s) rejected while loading; "
            "run `t86audit load` to see them\n"
        )
    return EXIT_OK


def _cmd_load(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from t86audit.io import RowsNotContiguousError  # noqa: PLC0415

    entries = _stream(args, stderr)
    tty = stderr.isatty()
    progress = _progress(stderr, "read") if tty else None
    started = time.perf_counter()
    loaded: LoadResult
    try:
        # Entries are counted and dropped as they are read: the accounting needs no more.
        for count, _ in enumerate(entries, 1):
            if progress is not None and count % 10_000 == 0:
                progress(count, time.perf_counter() - started)
        loaded = entries.result
    except RowsNotContiguousError as exc:
        loaded = entries.load_in_memory(exc.reason.partition(", so")[0])
    if progress is not None:
        progress(loaded.entries_loaded, time.perf_counter() - started)
        stderr.write("\n")
    if args.format == "json":
        document = {
            "sources": [
                {"path": s.path, "sha256": s.sha256, "rows_read": s.rows_read}
                for s in loaded.sources
            ],
            "rows_read": loaded.rows_read,
            "entries_loaded": loaded.entries_loaded,
            "rows_rejected": loaded.rows_rejected,
            "load_errors": [e.to_dict() for e in loaded.errors],
        }
        stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for s in loaded.sources:
        stdout.write(f"{s.path}: {s.rows_read} rows, sha256 {s.sha256}\n")
    stdout.write(f"rows read:      {loaded.rows_read}\n")
    stdout.write(f"entries loaded: {loaded.entries_loaded} ({loaded.rows_in_entries} rows)\n")
    stdout.write(f"rows rejected:  {loaded.rows_rejected}\n")
    for e in loaded.errors:
        where = f"row {e.row}" if e.row is not None else "file"
        column = f", column {e.column}" if e.column else ""
        value = f", value {e.value!r}" if e.value not in (None, "") else ""
        stdout.write(f"  {e.source} {where}{column}{value}: {e.message}\n")
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    from t86audit.registry import RuleRegistry  # noqa: PLC0415

    registry = RuleRegistry.default()
    if args.format == "json":
        listing = [
            {
                "code": r.code,
                "name": r.name,
                "family": r.family,
                "severity": r.severity.value,
                "basis": r.basis,
                "pack": r.pack,
                "citations": [str(c) for c in r.citations],
                "summary": r.summary,
            }
            for r in registry
        ]
        stdout.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for r in registry:
        stdout.write(f"{r.code}  {r.severity.value:9}  {r.name:40}  {r.summary}\n")
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    from t86audit.registry import RuleRegistry  # noqa: PLC0415

    r = RuleRegistry.default().get(args.code)
    lines = [
        f"{r.code} {r.name} ({r.severity.value}, basis {r.basis}, pack {r.pack})",
        "",
        r.summary,
        "",
        "Why it matters:",
        f"  {r.rationale}",
        "",
        "What a careful filer does:",
        f"  {r.reasonable_care}",
        "",
        "Citations:",
        *[
            f"  {c}" + (f" ({c.note})" if c.note else "") + (f" <{c.url}>" if c.url else "")
            for c in r.citations
        ],
    ]
    if r.options:
        lines += ["", "Options:", *[f"  {k} = {v}" for k, v in r.options.items()]]
    if r.limitations:
        lines += ["", "Known limitations:", f"  {r.limitations}"]
    stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


_COMMANDS = {
    "audit": _cmd_audit,
    "sample": _cmd_sample,
    "load": _cmd_load,
    "rules": _cmd_rules,
    "explain": _cmd_explain,
}


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
        return _COMMANDS[args.command](args, out, err)
    except (T86AuditError, _UsageError) as exc:
        err.write(f"t86audit {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        # A file that cannot be written, a bad option value: still one line, never a traceback.
        err.write(f"t86audit {args.command}: error: {exc}\n")
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
