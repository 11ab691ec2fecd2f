"""`flask progress report|gaps` (DESIGN §4): the DOMAIN §5.2 JSON, CSV or a readable table.

Both commands read the whole province (the CLI runs with the operator's full rights).
"""

import csv
import io
import json
from datetime import date

import click
from flask.cli import AppGroup

from ..validation import ServiceError
from . import services
from .exports import CSV_FIELDS, csv_values

progress_cli = AppGroup(
    "progress", help="Progress against a target set: Mục tiêu 3, then 1 and 2 (DOMAIN §4–5, §9–10)."
)


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD.", param, ctx)


def _options(command):
    command = click.option(
        "--target-set",
        "target_set",
        default=services.DEFAULT_TARGET_SET,
        show_default=True,
        help="Code of the target set.",
    )(command)
    return click.option(
        "--as-of",
        "as_of",
        type=IsoDate(),
        default=None,
        help="Reference date (default: today in Asia/Ho_Chi_Minh).",
    )(command)


def _today() -> date:
    from ..i18n import today

    return today()


def _run(compute, as_of, target_set):
    try:
        return compute(as_of or _today(), target_set)
    except ServiceError as error:
        raise click.ClickException(error.message) from None


def _cell(value) -> str:
    """CSV cells: JSON's spelling for booleans and null, so the file reads like the JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@progress_cli.command("report")
@_options
@click.option(
    "--format",
    "output",
    type=click.Choice(("json", "csv", "table")),
    default="json",
    show_default=True,
)
def report_command(as_of, target_set, output):
    """Print the progress report: every indicator of the target set for every group."""
    data = _run(services.report, as_of, target_set)
    if output == "json":
        click.echo(_json(data))
    elif output == "csv":
        rows = [
            (data["target_set"], data["as_of"], *csv_values(entry)) for entry in data["indicators"]
        ]
        click.echo(_csv(("target_set", "as_of", *CSV_FIELDS), rows), nl=False)
    else:
        click.echo(_table(data))


@progress_cli.command("gaps")
@_options
@click.option(
    "--format", "output", type=click.Choice(("json", "csv")), default="json", show_default=True
)
def gaps_command(as_of, target_set, output):
    """Print every official of P, D and C with the indicators she does not count for yet, and
    (JSON) the organizations and gender-equality officers Mục tiêu 1–2 find lacking."""
    data = _run(services.gaps, as_of, target_set)
    if output == "json":
        click.echo(_json(data))
        return
    first = (data["target_set"], data["as_of"])
    rows = [
        (*first, gap["code"], gap["population"], " ".join(gap["missing"]))
        for gap in data["officials"]
    ]
    header = ("target_set", "as_of", "code", "population", "missing")
    click.echo(_csv(header, rows), nl=False)


def _fraction(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator}"


def _table(data: dict) -> str:
    """A fixed-width table: id, group, n/d, %, threshold, status, shortfall, forecast."""
    header = ("id", "group", "n/d", "%", "threshold", "status", "shortfall", "forecast")
    lines = [header]
    for entry in data["indicators"]:
        value = entry["value"]
        implied = "*" if entry["implied"] else ""
        lines.append(
            (
                entry["id"],
                entry["group"],
                _fraction(entry["numerator"], entry["denominator"]),
                "-" if value is None else f"{value * 100:.1f}",
                f"{entry['operator']} {entry['threshold']}{implied}",
                entry["status"],
                "-" if entry["shortfall"] is None else str(entry["shortfall"]),
                f"{_fraction(entry['forecast_numerator'], entry['denominator'])} "
                f"{entry['forecast_status']}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    right = {2, 3, 6}  # numbers read better right-aligned
    text = [f"Target set {data['target_set']}, as of {data['as_of']}"]
    for line in lines:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        text.append("  ".join(cells).rstrip())
    text.append("* implied: the plan requires it of everyone but states no percentage.")
    return "\n".join(text)
