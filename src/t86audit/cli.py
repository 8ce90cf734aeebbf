"""The ``t86audit`` command line.

Subcommands: ``audit``, ``sample``, ``load``, ``rules``, ``explain``. Exit status: 0 when the
command ran (whatever it found); 1 only when ``audit --fail-on`` is given and an unwaived finding
of that severity or worse exists; 2 for a usage error or input that cannot be read at all, with a
one-line message on standard error and never a traceback.

``audit`` and ``load`` stream their input: entries are read, audited or counted, and dropped
one at a time, so a year of filings needs no more memory than the group rules' state (with
``--samples``, a first pass keeps each entry's number and the sampled entries, from which the
samples are rebuilt and their population checked). If the rows of an entry are not adjacent
in a CSV file, the file is read again with each entry's rows put together (a first pass notes
where every row is; a workbook or a JSON array is loaded in memory instead); a note on
standard error says so only for inputs large enough for it to matter. On a terminal, a
progress line on standard error shows the entries done and the entries per second.

An audit in which no entry could be loaded is not a clean audit: it exits 2 with one line
naming the rows rejected and the column most were rejected for. When some rows are rejected,
standard error says how many; ``--max-rejected N`` (or ``N%``) turns more than that into exit
status 1.

``audit --format`` is one of ``text`` (default), ``markdown``, ``html``, ``json``, ``csv`` and
``xlsx`` (a workbook, needs ``pip install 't86audit[excel]'``), in any letter case; the format
is never guessed from the ``--output`` file name. Errors name command-line options, a mistyped
option gets a suggestion, and a closed pipe (``t86audit audit ... | head``) ends quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TextIO, TypedDict

from t86audit.exceptions import T86AuditError


if TYPE_CHECKING:
    from t86audit.io import EntryStream, LoadResult
    from t86audit.io._source import Kind
    from t86audit.model import Entry
    from t86audit.sample import JudgmentSample


__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


REPORT_FORMATS = ("text", "markdown", "html", "json", "csv", "xlsx")
_FALLBACK_NOTE_BYTES = 256 * 1024 * 1024
"""Inputs at least this large get a note when they must be loaded in memory to be audited."""

_TABLE_FILES: tuple[tuple[str, str], ...] = (
    ("hts", "a newer HTSUS schedule CSV (columns chapter,htsno,indent,description)"),
    ("adcvd", "AD/CVD orders CSV replacing the bundled China table"),
    ("adcvd_hts", "the HTS numbers in scope of the --adcvd orders (case_number,hts,...)"),
    (
        "quota",
        (
            "quota goods CSV (hts,quota,country_code) added to the bundled quota list "
            "(HTSUS 2025 tariff-rate quotas); see examples/tables"
        ),
    ),
    ("pga_flags", "PGA flags of your HTS numbers CSV (hts,flags); see examples/tables"),
)
"""The reference-table files ``audit`` takes, in ``--help`` order: (argument name, help).

One list for the options and for the audit trail, which records each file given."""


class _UsageError(Exception):
    """A problem with the command's arguments, reported as exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors suggest the option or value that was probably meant."""

    def error(self, message: str) -> NoReturn:
        hint = _suggestion(self, message)
        super().error(message + hint)


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [o for action in parser._actions for o in action.option_strings]


def _suggestion(parser: argparse.ArgumentParser, message: str) -> str:
    """``"; did you mean --format?"`` for a mistyped option or choice, else ``""``."""
    import difflib  # noqa: PLC0415  (only a mistyped command line needs it)

    choice = re.match(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice is not None:
        options = re.findall(r"'([^']*)'", choice.group(3))
        close = difflib.get_close_matches(choice.group(2).lower(), options, n=1, cutoff=0.5)
        return f"; did you mean {close[0]!r}?" if close else ""
    if message.startswith("unrecognized arguments:"):
        pool = _option_strings(parser)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    pool.extend(_option_strings(sub))
        for token in message.partition(":")[2].split():
            if token.startswith("-"):
                close = difflib.get_close_matches(token.partition("=")[0], pool, n=1, cutoff=0.6)
                if close:
                    return f" (did you mean {close[0]}?)"
    return ""


def _csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _entry_numbers(text: str) -> list[str]:
    """``--cite``: entry numbers as a letter lists them, one per line or separated by ``,``/``;``.

    A number keeps its inner spaces (``B76 0324527 8`` is one number, matched by its key); a
    piece whose words are each a whole entry number (``B76-0324527-8 B76-0324528-6``, as a
    letter's table pastes) is those numbers.
    """
    from t86audit.sample import _is_whole_entry_number  # noqa: PLC0415

    numbers: list[str] = []
    for piece in re.split(r"[,;\r\n\t]+", text):
        words = piece.split()
        if len(words) > 1 and all(_is_whole_entry_number(word) for word in words):
            numbers.extend(words)
        elif words:
            numbers.append(piece.strip())
    return numbers


def _rejected_limit(text: str) -> tuple[float, bool]:
    """``--max-rejected``: a count (``10``) or a percent of the rows read (``5%``)."""
    raw = text.strip()
    percent = raw.endswith("%")
    number = raw.removesuffix("%").strip()
    try:
        value = float(number) if percent else int(number)
    except ValueError:
        msg = f"expected a count like 10 or a percent like 5%, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 0 or (percent and value > 100):
        msg = f"expected a count >= 0 or a percent from 0% to 100%, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return float(value), percent


def _delimiter(text: str) -> str:
    r"""``--delimiter``: ``,`` ``;`` ``tab`` (or ``\t``, or a tab) or ``|``."""
    from t86audit.io._columns import check_delimiter  # noqa: PLC0415

    try:
        found = check_delimiter(text, "--delimiter")
    except T86AuditError:
        msg = f"expected , ; tab or | (quote ; and | for the shell: ';' '|'), got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    assert found is not None
    return found


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="CSV (.csv, .txt, .tsv), Excel (.xlsx), JSON (.json) or JSON Lines (.jsonl) "
        "files of entries",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help="the worksheet of .xlsx inputs to read (default: the first)",
    )
    parser.add_argument(
        "--input-format",
        type=str.lower,
        choices=("csv", "json", "jsonl", "xlsx"),
        help="read every input as this format, whatever its suffix",
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
        "--delimiter",
        type=_delimiter,
        metavar="D",
        help="the CSV files' delimiter: , ';' tab or '|' (default: a sep= first line's, tab "
        "for .tsv, else found from the header row: commas unless it splits into the canonical "
        "columns at exactly one of ; tab |)",
    )
    parser.add_argument(
        "--decimal",
        choices=(".", ","),
        default=".",
        help="the CSV files' decimal mark: . (U.S. format, the default) or , to read amounts, "
        "quantities and weights written 1.234,56 (forms that read otherwise in U.S. format, "
        "such as 1.234, stay errors)",
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


def _add_audit_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """The ``audit`` command and its options."""
    p_audit = sub.add_parser("audit", help="run the rules and write a report")
    _add_input_options(p_audit)
    _add_output_options(p_audit)
    p_audit.add_argument(
        "--format",
        type=str.lower,
        choices=REPORT_FORMATS,
        default=None,
        help="report format (default: the one --output's suffix names, .html .md .txt .json "
        ".csv .xlsx, else text); csv has one row per finding; xlsx is a workbook (summary, "
        "findings, entries, samples, load errors) and needs --output or a pipe",
    )
    p_audit.add_argument(
        "--max-rejected",
        type=_rejected_limit,
        metavar="N",
        help="exit 1 if more than N input rows (or N%% of the rows read, as in 5%%) could "
        "not be loaded; an audit in which no entry loads always exits 2",
    )
    p_audit.add_argument(
        "--allow-population-change",
        action="store_true",
        help="rebuild --samples even if the population differs from the one they were drawn "
        "from (the samples keep the population recorded in their file)",
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
        help="waivers CSV (entry_number,code,reason,reviewer,date), or a report's findings "
        "(--format xlsx or csv) with waiver_reason, waiver_reviewer and waiver_date filled in; "
        "waived findings stay in the report, marked, and do not count toward --fail-on",
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
    p_audit.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: every core for more than 5,000 entries); "
        "the report is the same whatever N",
    )
    p_audit.add_argument(
        "--exposure-worksheet",
        metavar="FILE.csv",
        help="also write the prior-disclosure worksheet: one row per ineligible entry and "
        "line with each duty and fee, its provision and rate, and totals",
    )
    p_audit.add_argument(
        "--no-exposure",
        action="store_true",
        help="do not estimate what ineligible entries would have owed",
    )
    tables = p_audit.add_argument_group(
        "reference tables", "replace a bundled table, or supply one no public source provides"
    )
    for name, text in _TABLE_FILES:
        tables.add_argument("--" + name.replace("_", "-"), metavar="FILE", help=text)
        if name == "quota":
            # The switch is listed beside the table it governs.
            tables.add_argument(
                "--quota-replace",
                action="store_true",
                help="check quota goods against the --quota file alone, not the bundled list",
            )


def _add_sample_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """The ``sample`` command and its options."""
    p_sample = sub.add_parser("sample", help="draw random samples, or rebuild cited ones")
    _add_input_options(p_sample)
    _add_output_options(p_sample)
    size_help = "entries per sample (default 10); with --cite, the count the letter gives, checked"
    p_sample.add_argument("--size", type=int, help=size_help)
    p_sample.add_argument("--count", type=int, help="number of samples (default 1)")
    p_sample.add_argument("--seed", type=int, help="random seed (required to draw)")
    p_sample.add_argument(
        "--stratify-by", metavar="FIELD", help="port, seller, consignee, month or filer_code"
    )
    p_sample.add_argument(
        "--cite",
        type=_entry_numbers,
        metavar="NUMBERS",
        help="rebuild a cited sample from entry numbers separated by commas, semicolons, "
        "line breaks or spaces (as a letter lists them)",
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    from t86audit import __version__  # noqa: PLC0415

    parser = _Parser(
        prog="t86audit",
        description="Audit Entry Type 86 (Section 321) filings against the law in force on "
        "each entry's date, as far as the filed data can show. Evidence, not legal advice.",
    )
    parser.add_argument("--version", action="version", version=f"t86audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_audit_command(sub)
    _add_sample_command(sub)

    p_load = sub.add_parser("load", help="read input files and print the accounting")
    _add_input_options(p_load)
    p_load.add_argument("--format", type=str.lower, choices=("text", "json"), default="text")

    p_rules = sub.add_parser("rules", help="list the registered rules")
    p_rules.add_argument("--format", type=str.lower, choices=("text", "json"), default="text")

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


def _check_inputs(args: argparse.Namespace) -> None:
    """Refuse, in command-line words, inputs whose format cannot be told (before reading)."""
    from t86audit.io import kind_of  # noqa: PLC0415

    kinds = []
    for path in args.paths:
        try:
            kinds.append(kind_of(path, args.input_format))
        except T86AuditError:
            msg = (
                f"{path}: cannot tell the format from the file name; use a .csv, .tsv, .json, "
                ".jsonl, .ndjson or .xlsx suffix, or pass --input-format csv (or json, jsonl, "
                "xlsx)"
            )
            raise _UsageError(msg) from None
    if args.sheet is not None and "xlsx" not in kinds:
        msg = f"--sheet {args.sheet} is given but no input is an .xlsx workbook"
        raise _UsageError(msg)
    if (args.delimiter is not None or args.decimal != ".") and "csv" not in kinds:
        given = " and ".join(
            option
            for option, used in (
                (f"--delimiter {_delimiter_word(args.delimiter)}", args.delimiter is not None),
                (f"--decimal {args.decimal}", args.decimal != "."),
            )
            if used
        )
        msg = f"{given} is given but no input is a CSV (delimited text) file"
        raise _UsageError(msg)


def _delimiter_word(delimiter: str | None) -> str:
    """A delimiter as ``--delimiter`` takes it on a shell's command line."""
    return {"\t": "tab", ",": ","}.get(delimiter or ",", f"'{delimiter}'")


class _Reading(TypedDict):
    """How to read the input files: the keywords :func:`t86audit.io.load` and ``stream`` share."""

    mapping: Mapping[str, str] | None
    encoding: str
    strict: bool
    format: Kind | None
    sheet: str | None
    delimiter: str | None
    decimal: str


def _reading(args: argparse.Namespace) -> _Reading:
    """The input options, checked before any input is read (one place: load and stream agree)."""
    from t86audit.io import read_mapping  # noqa: PLC0415

    _check_inputs(args)
    return {
        "mapping": read_mapping(args.mapping) if args.mapping else None,
        "encoding": args.encoding,
        "strict": args.strict,
        "format": args.input_format,
        "sheet": args.sheet,
        "delimiter": args.delimiter,
        "decimal": args.decimal,
    }


def _load(args: argparse.Namespace) -> LoadResult:
    from t86audit.io import load  # noqa: PLC0415

    return load(*args.paths, **_reading(args))


def _stream(args: argparse.Namespace, stderr: TextIO) -> EntryStream:
    """The input files as a stream: entries are read as the audit goes, not all at once."""
    from t86audit.io import stream  # noqa: PLC0415

    reading = _reading(args)
    size = 0
    for path in args.paths:
        with contextlib.suppress(OSError):  # the loader names a missing file
            size += Path(path).stat().st_size

    def notice(message: str) -> None:
        # Reading again (or loading in memory) is the tool's business; it is worth a note only
        # when the input is large enough for the time or memory it takes to matter.
        if size < _FALLBACK_NOTE_BYTES:
            return
        how = "read again entry by entry" if "entry order" in message else "loaded in memory"
        lead = "\n" if stderr.isatty() else ""
        stderr.write(
            f"{lead}t86audit {args.command}: note: the rows of some entries are not adjacent, "
            f"so the {size / 2**20:,.0f} MB of input are {how}; sort the input by "
            "entry number to stream it in one pass\n"
        )

    return stream(*args.paths, on_fallback=notice, **reading)


def _check_output(args: argparse.Namespace, stdout: TextIO, *, binary: bool = False) -> None:
    """Refuse an --output that exists (without --force) before any work is done."""
    if args.output is not None:
        target = Path(args.output)
        if target.exists() and not args.force:
            msg = f"{args.output} already exists; pass --force to overwrite it"
            raise _UsageError(msg)
        if target.is_dir():
            msg = f"--output {args.output} is a directory; name a file"
            raise _UsageError(msg)
        _check_folder(args.output)
    elif binary and (getattr(stdout, "buffer", None) is None or stdout.isatty()):
        msg = (
            f"--format {args.format} writes a binary workbook; pass --output FILE.xlsx "
            "(or redirect standard output to a file)"
        )
        raise _UsageError(msg)


def _check_folder(output: str) -> None:
    """Refuse an output file whose folder does not exist, naming the path the user gave."""
    folder = Path(output).parent
    if str(folder) and not folder.is_dir():
        msg = f"cannot write {output}: the folder {folder} does not exist; create it first"
        raise _UsageError(msg)


def _write(
    content: str | Callable[[Any], object],
    output: str | None,
    *,
    force: bool,
    stdout: TextIO,
    binary: bool = False,
) -> None:
    """Write to standard output, or atomically to a file (temporary file, then rename).

    ``content`` is the text, or a function that writes it to the stream it is given piece by
    piece (a large report is never whole in memory); with ``binary`` the stream takes bytes.
    If it fails part way, the temporary file is removed and the target is left as it was.
    """
    emit: Callable[[Any], object]
    if isinstance(content, str):
        text = content

        def emit(stream: Any) -> object:
            return stream.write(text)
    else:
        emit = content
    if output is None:
        if binary:
            buffer: IO[bytes] = stdout.buffer
            emit(buffer)
            buffer.flush()
        else:
            emit(stdout)
        return
    target = Path(output)
    if target.exists() and not force:
        msg = f"{output} already exists; pass --force to overwrite it"
        raise _UsageError(msg)
    directory = target.parent if str(target.parent) else Path()
    _check_folder(output)
    try:
        fd, tmp = _temporary_beside(directory, target.name)
    except PermissionError:
        msg = f"cannot write {output}: no permission to create a file in {directory}"
        raise _UsageError(msg) from None
    try:
        if binary:
            with os.fdopen(fd, "wb") as raw:
                emit(raw)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                emit(handle)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _temporary_beside(directory: Path, name: str) -> tuple[int, Path]:
    """Create ``directory/.name.<random>.tmp`` for writing, as no other file; its descriptor.

    The report is written there and then renamed over the target, so a failed write never
    leaves a half report. The file gets the permissions a normal new file gets (0666 less the
    umask). Not :func:`tempfile.mkstemp`: importing :mod:`tempfile` costs every command some
    7 ms, a thirtieth of a ten-entry audit.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = directory / f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue  # pragma: no cover - 48 random bits met a file of the same name
    msg = f"could not create a temporary file in {directory}"  # pragma: no cover
    raise FileExistsError(msg)  # pragma: no cover


def _rejection_summary(loaded: LoadResult) -> str:
    """``"6 of 3,000 input rows rejected; most of them, 4 row(s) for column value_usd, ..."``.

    "Most of them" only when one column holds more than half of the rows with a reason of their
    own (:meth:`LoadResult.rejection_lead`); columns that tie are named as a tie.
    """
    from t86audit.io._values import clip  # noqa: PLC0415

    text = f"{loaded.rows_rejected:,} of {loaded.rows_read:,} input rows rejected"
    lead = loaded.rejection_lead()
    if lead is None:
        return text
    example = lead.example
    where = f"{example.source} row {example.row}" if example.row is not None else example.source
    named = [f"column {c}" if c else "the row as a whole" for c in lead.columns]
    if len(named) > 1:
        about = f"{lead.rows:,} row(s) each for {', '.join(named)}"
    elif lead.is_majority:
        about = f"most of them, {lead.rows:,} row(s) for {named[0]}"
    else:
        about = f"most often, {lead.rows:,} of {lead.counted:,} row(s), for {named[0]}"
    if named == ["the row as a whole"]:
        about = about.replace("for the row as a whole", "as a whole")
    return f"{text}; {about}, e.g. {where}: {clip(example.message, 160)}"


def _delimiter_notes(command: str, loaded: LoadResult, stderr: TextIO) -> None:
    """Say, once a file, which delimiter was found for a file not read at commas.

    Only for a delimiter the file itself named (its ``sep=`` line) or that its header row
    showed: one given with ``--delimiter``, or a ``.tsv`` file's tab, goes without saying.
    """
    from t86audit.io._columns import DELIMITERS  # noqa: PLC0415

    for source in loaded.sources:
        if source.delimiter_found not in {"sep line", "header row"}:
            continue
        why = (
            "its first line's sep= says so"
            if source.delimiter_found == "sep line"
            else "its header row splits at them into the canonical columns"
        )
        stderr.write(
            f"t86audit {command}: note: {source.path} was read as delimited by "
            f"{DELIMITERS[source.delimiter]} ({why}); --delimiter names another\n"
        )


def _too_many_rejected(loaded: LoadResult, limit: tuple[float, bool]) -> str | None:
    """Why ``--max-rejected`` is exceeded, or ``None``."""
    value, percent = limit
    rejected = loaded.rows_rejected
    if percent:
        share = 100 * rejected / loaded.rows_read if loaded.rows_read else 0.0
        if share > value:
            return (
                f"{share:.1f}% of the input rows were rejected, more than --max-rejected "
                f"{value:g}%"
            )
        return None
    if rejected > value:
        return f"{rejected:,} input rows were rejected, more than --max-rejected {value:g}"
    return None


def _check_rule_selection(args: argparse.Namespace) -> None:
    """Refuse a --select/--ignore that leaves no rule to run (an audit that checks nothing)."""
    if not args.select and not args.ignore:
        return
    from t86audit.registry import RuleRegistry  # noqa: PLC0415

    try:
        chosen = RuleRegistry.default().select(args.select, args.ignore)
    except (T86AuditError, ValueError, KeyError) as exc:
        raise _UsageError(str(exc).strip("'\"")) from None
    if not chosen:
        given = []
        if args.select:
            given.append(f"--select {','.join(args.select)}")
        if args.ignore:
            given.append(f"--ignore {','.join(args.ignore)}")
        msg = f"{' '.join(given)} leaves no rule to run; an audit that checks nothing is not run"
        raise _UsageError(msg)


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


class _Progress:
    """A progress callback drawing one line on a terminal: entries done, entries per second.

    A reading started again in entry order (rows of an entry found apart) counts from 1
    again: the line holds its count until the new reading passes it, rather than go back.
    :meth:`end` draws the last count given if it was held (the regrouped reading may end
    below the first one's, having rejected entries) and ends the line.
    """

    def __init__(self, stream: TextIO, verb: str = "audited") -> None:
        self.stream = stream
        self.verb = verb
        self.shown = 0
        self.width = 0
        self.held: tuple[int, float] | None = None

    def __call__(self, done: int, seconds: float) -> None:
        if done <= self.shown:
            self.held = (done, seconds)
            return
        self.held = None
        self.shown = done
        self._draw(done, seconds)

    def _draw(self, done: int, seconds: float) -> None:
        rate = done / seconds if seconds > 0 else 0.0
        text = f"{done:,} entries {self.verb} ({rate:,.0f}/s)"
        # Spaces over what a longer line before left, when a shorter one is drawn.
        self.stream.write(f"\r{text}{' ' * (self.width - len(text))}")
        self.width = max(self.width, len(text))
        self.stream.flush()

    def end(self) -> None:
        """Draw the last count given, if it was held, and end the line."""
        if self.held is not None:
            self._draw(*self.held)
            self.held = None
        self.stream.write("\n")


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
    for name, _ in _TABLE_FILES:
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
    if args.format is None:
        # Named by the output file's suffix, as Report.save() names it: "-o report.xlsx"
        # wrote a text report into a file Excel could not open.
        from t86audit.report import SAVE_SUFFIXES  # noqa: PLC0415

        suffix = Path(args.output).suffix.lower() if args.output else ""
        args.format = SAVE_SUFFIXES.get(suffix, "text")
    # Everything the command line can refuse is refused before the audit runs.
    _check_output(args, stdout, binary=args.format == "xlsx")
    _check_audit_options(args)
    _check_rule_selection(args)
    _check_inputs(args)
    generated_at = _timestamp(args.generated_at, "--generated-at")
    # Samples are rebuilt from the whole population (its entries' numbers make the fingerprint
    # they are checked against): a first pass keeps the numbers and the sampled entries, then
    # the audit streams the input as any other does.
    population: LoadResult | EntryStream
    if args.samples:
        samples = _samples_of(args)
        ids = [s.id for s in samples]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            msg = (
                f"sample id(s) {', '.join(repeated)} appear in more than one --samples file; "
                "give each sample its own id (t86audit sample --id)"
            )
            raise _UsageError(msg)
        population = _stream(args, stderr)
    else:
        population = _stream(args, stderr)
        samples = ()
    waivers = read_waivers(args.waivers, encoding=args.encoding) if args.waivers else None
    invocation = _invocation(args)
    reference = _reference(args, invocation)
    redact_key = None
    if args.redact or args.redact_key_file:
        from t86audit.redact import read_key  # noqa: PLC0415

        redact_key = read_key(args.redact_key_file)
    progress = _Progress(stderr) if stderr.isatty() else None
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
        progress=progress,
        redact_key=redact_key,
        jobs=args.jobs,
        exposure=not args.no_exposure,
    )
    if progress is not None:
        progress.end()
    return _finish_audit(args, report, stdout, stderr)


def _samples_of(args: argparse.Namespace) -> tuple[JudgmentSample, ...]:
    """The ``--samples`` files' samples, rebuilt from a pass over the input.

    The pass keeps every loaded entry's number (for the population's fingerprint) and the
    entries the samples name, nothing else: memory holds a number an entry, not the entries.
    """
    # Only here: an audit without samples never needs the sampling module.
    from t86audit.io import stream  # noqa: PLC0415
    from t86audit.sample import SamplesFile  # noqa: PLC0415

    files = [SamplesFile(path) for path in args.samples]
    wanted = frozenset().union(*(file.wanted for file in files))

    def keep(entries: Iterable[Entry]) -> tuple[list[str], dict[str, Entry], list[str]]:
        # Fresh on each call: a reading interrupted by scattered rows leaves nothing behind.
        numbers: list[str] = []
        by_key: dict[str, Entry] = {}
        judged: list[str] = []  # what a random draw picks from (random samples are checked)
        for entry in entries:
            numbers.append(entry.number)
            key = entry.entry_number.key
            if key in wanted and key not in by_key:
                by_key[key] = entry
            if entry.judged_as_t86:
                judged.append(key)
        return numbers, by_key, judged

    # Quietly: the audit's own pass says the rows are read again.
    numbers, by_key, judged = (
        stream(*args.paths, **_reading(args)).read_with(keep, announce=False).value
    )
    allow = args.allow_population_change
    return tuple(
        sample
        for file in files
        for sample in file.rebuild(
            numbers, by_key, allow_population_change=allow, candidates=judged
        )
    )


def _invocation(args: argparse.Namespace) -> dict[str, Any]:
    """How the audit was run, for the report's audit trail."""
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
    if args.delimiter is not None:
        invocation["delimiter"] = args.delimiter
    if args.decimal != ".":
        invocation["decimal"] = args.decimal
    return invocation


def _check_audit_options(args: argparse.Namespace) -> None:
    """Refuse --jobs, --exposure-worksheet and --no-exposure combinations before the audit."""
    if args.jobs is not None and args.jobs < 1:
        raise _UsageError(f"--jobs must be at least 1, got {args.jobs}")
    if args.exposure_worksheet and args.no_exposure:
        raise _UsageError("--exposure-worksheet needs the exposure: drop --no-exposure")
    if args.exposure_worksheet and Path(args.exposure_worksheet).exists() and not args.force:
        msg = f"{args.exposure_worksheet} exists; pass --force to replace it"
        raise _UsageError(msg)
    if args.exposure_worksheet:
        _check_folder(args.exposure_worksheet)


def _write_worksheet(args: argparse.Namespace, report: Any) -> None:
    """Write the prior-disclosure worksheet CSV (formula cells neutralised, as the CSV report)."""
    import csv  # noqa: PLC0415

    from t86audit.exposure import WORKSHEET_COLUMNS  # noqa: PLC0415
    from t86audit.report.csv import neutralise  # noqa: PLC0415

    if report.exposure is None:
        raise _UsageError("--exposure-worksheet needs the exposure (drop --no-exposure)")

    def emit(stream: TextIO) -> None:
        writer = csv.DictWriter(stream, WORKSHEET_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in report.exposure.worksheet_rows():
            writer.writerow({k: neutralise(v) for k, v in row.items()})

    _write(emit, args.exposure_worksheet, force=args.force, stdout=sys.stdout)


def _finish_audit(args: argparse.Namespace, report: Any, stdout: TextIO, stderr: TextIO) -> int:
    """Write the report of an audit that ran, with its notes; return the exit status."""
    load_result: LoadResult | None = report.load
    if load_result is not None and load_result.entries_loaded == 0:
        # An audit of nothing reads like a clean audit: it is refused, not reported.
        if load_result.rows_read == 0:
            msg = "no entry loaded: the input has no data rows"
        else:
            msg = f"no entry loaded: {_rejection_summary(load_result)}"
        msg += "; run `t86audit load` on the input to list every rejected row"
        raise _UsageError(msg)
    _write(
        lambda stream: report.write(args.format, stream),
        args.output,
        force=args.force,
        stdout=stdout,
        binary=args.format == "xlsx",
    )
    if args.exposure_worksheet:
        _write_worksheet(args, report)
    status = EXIT_OK
    if load_result is not None:
        _delimiter_notes(args.command, load_result, stderr)
    if load_result is not None and load_result.rows_rejected:
        stderr.write(
            f"t86audit audit: note: {_rejection_summary(load_result)}; those rows are not in "
            "the audit (the report lists them; `t86audit load` on the input too)\n"
        )
        if args.max_rejected is not None:
            exceeded = _too_many_rejected(load_result, args.max_rejected)
            if exceeded is not None:
                stderr.write(f"t86audit audit: error: {exceeded}\n")
                status = EXIT_FINDINGS
    if report.unused_waivers:
        stderr.write(
            f"note: {len(report.unused_waivers)} waiver(s) matched no finding; "
            "see the report's waivers section\n"
        )
    if args.fail_on and report.has_at_least(args.fail_on):
        return EXIT_FINDINGS
    return status


def _cmd_sample(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from t86audit.sample import cited_sample, draw_samples, samples_to_json  # noqa: PLC0415

    _check_output(args, stdout)
    drawn_at = _timestamp(args.drawn_at, "--drawn-at")
    loaded = _load(args)
    if args.cite:
        # A cited sample is the letter's entries: drawing options would be silently ignored.
        given = [
            option
            for option, value in (
                ("--seed", args.seed),
                ("--count", args.count),
                ("--stratify-by", args.stratify_by),
            )
            if value is not None
        ]
        if given:
            msg = (
                f"{', '.join(given)} {'draws' if len(given) == 1 else 'draw'} a sample; --cite "
                "rebuilds the one a letter lists "
                "(give --size to check how many entries it names)"
            )
            raise _UsageError(msg)
        samples: tuple[Any, ...] = (
            cited_sample(
                loaded.entries,
                args.cite,
                id=args.id or "cited-1",
                size=args.size,
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
            size=10 if args.size is None else args.size,
            count=1 if args.count is None else args.count,
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
    _delimiter_notes(args.command, loaded, stderr)
    if loaded.errors:
        stderr.write(
            f"note: {loaded.rows_rejected} row(s) rejected while loading; "
            "run `t86audit load` to see them\n"
        )
    return EXIT_OK


def _cmd_load(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    entries = _stream(args, stderr)
    progress = _Progress(stderr, "read") if stderr.isatty() else None
    started = time.perf_counter()

    def count(reading: Iterable[object]) -> None:
        # Entries are counted and dropped as they are read: the accounting needs no more.
        for done, _ in enumerate(reading, 1):
            if progress is not None and done % 10_000 == 0:
                progress(done, time.perf_counter() - started)

    loaded = entries.read_with(count).load
    if progress is not None:
        progress(loaded.entries_loaded, time.perf_counter() - started)
        progress.end()
    _delimiter_notes(args.command, loaded, stderr)
    if args.format == "json":
        document = {
            "sources": [
                {
                    "path": s.path,
                    "sha256": s.sha256,
                    "rows_read": s.rows_read,
                    # (added keys: the delimiter of a file not read at commas, and why)
                    **(
                        {"delimiter": s.delimiter, "delimiter_found": s.delimiter_found}
                        if s.delimiter
                        else {}
                    ),
                }
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
        delimited = f", delimited by {s.delimiter!r}" if s.delimiter else ""
        stdout.write(f"{s.path}: {s.rows_read} rows, sha256 {s.sha256}{delimited}\n")
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
                # Each provision once, though a rule cites two of its texts (19 CFR 10.151).
                "citations": list(dict.fromkeys(str(c) for c in r.citations)),
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


_CLI_WORDING = (
    ("pass encoding='latin-1' (or --encoding)", "pass --encoding latin-1"),
    ("encoding='latin-1'", "--encoding latin-1"),
    ("allow_population_change=True", "--allow-population-change"),
    ("pass format='csv' (or 'json', 'jsonl')", "pass --input-format csv (or json, jsonl, xlsx)"),
    ("format='csv'", "--input-format csv"),
    ("sheet=", "--sheet "),
    ("strict=True", "--strict"),
    ("decimal=',' (on the command line --decimal ,)", "--decimal ,"),
    ("decimal=','", "--decimal ,"),
    ("decimal='.'", "--decimal ."),
    ("delimiter='\\t'", "--delimiter tab"),
    ("delimiter=';'", "--delimiter ';'"),
    ("delimiter='|'", "--delimiter '|'"),
    ("delimiter=','", "--delimiter ,"),
)
"""The library's words for an option (a Python keyword) and the command line's."""


def cli_wording(message: str) -> str:
    """``message`` with every Python keyword argument it names replaced by its option."""
    for python, option in _CLI_WORDING:
        message = message.replace(python, option)
    return message


def _quiet_stdout(stdout: TextIO) -> None:
    """After a closed pipe, point standard output at the null device.

    Python's final flush of what is left in its buffer then prints no traceback.
    """
    try:
        fileno = stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)


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
    except BrokenPipeError:
        # `t86audit audit ... | head`: the reader has what it wanted; end quietly.
        _quiet_stdout(out)
        return EXIT_OK
    except (T86AuditError, _UsageError) as exc:
        err.write(f"t86audit {args.command}: error: {cli_wording(str(exc))}\n")
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        # A file that cannot be written, a bad option value: still one line, never a traceback.
        err.write(f"t86audit {args.command}: error: {cli_wording(str(exc))}\n")
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
