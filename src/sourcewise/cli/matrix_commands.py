"""``sourcewise rank``: a decision matrix the analyst brings, ranked by a chosen method."""

from __future__ import annotations

import enum
import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import OutputFormat, app, fail, write


class RankMethod(enum.StrEnum):
    wsm = "wsm"
    wpm = "wpm"
    topsis = "topsis"
    vikor = "vikor"
    promethee = "promethee"
    electre = "electre"


class DiscordanceScaleOption(enum.StrEnum):
    per_criterion = "per-criterion"
    largest_range = "largest-range"


@app.command("rank")
def rank_command(
    matrix_file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: alternatives in rows, criteria in columns.")
    ],
    method: Annotated[RankMethod, typer.Option(help="Ranking method.")] = RankMethod.topsis,
    weights: Annotated[
        str,
        typer.Option(
            help="Comma-separated weights in column order (scaled to sum to 1), or entropy, "
            "critic or merec to derive them from the matrix."
        ),
    ] = "entropy",
    directions: Annotated[
        str,
        typer.Option(help="Comma-separated +1 (more is better) or -1 (less is better) per column."),
    ] = "",
    discordance_scale: Annotated[
        DiscordanceScaleOption | None,
        typer.Option(
            help="ELECTRE only: divide each shortfall by its criterion's own range "
            "(per-criterion, the default) or by the largest range over all criteria "
            "(largest-range, Roy's classic formulation for criteria on one scale)."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
) -> None:
    """Rank alternatives of your own decision matrix with a multi-criteria method."""
    from sourcewise.domain.problems import InputError, Problem
    from sourcewise.services.matrix_ranking import ARGUMENTS, rank_matrix, read_matrix_file

    def numbers(text: str, option: str) -> list[float]:
        try:
            return [float(v) for v in text.split(",")]
        except ValueError:
            fail(
                [Problem("<command line>", None, option, f"'{text}' is not a list of numbers")],
                "bad option",
            )

    try:
        matrix = read_matrix_file(matrix_file)
    except InputError as error:
        fail(list(error.problems), f"{matrix_file} is not a valid matrix")
    try:
        ranked = rank_matrix(
            matrix,
            method=method.value,
            weights=weights if weights.isalpha() else numbers(weights, "--weights"),
            directions=numbers(directions, "--directions") if directions else None,
            discordance_scale=None if discordance_scale is None else discordance_scale.value,
            source=str(matrix_file),
        )
    except InputError as error:
        # The service names its parameters; the command line names its options.
        options = [
            replace(p, file="<command line>", path="--" + p.path.replace("_", "-"))
            for p in error.problems
            if p.file == ARGUMENTS
        ]
        if options:
            fail(options, "bad option")
        fail(list(error.problems), "cannot rank")
    result, w, d = ranked.result, ranked.weights, ranked.directions
    scores, ranks = result.scores.tolist(), result.ranks.tolist()
    rows = [(matrix.alternatives[i], scores[i], ranks[i]) for i in result.order.tolist()]
    # ELECTRE I chooses rather than ranks: its answer, the kernel, is shown beside the scores.
    scale, kernel = ranked.discordance_scale, list(ranked.kernel)
    if output_format is OutputFormat.json:
        payload: dict[str, object] = {
            "method": result.method,
            "criteria": list(matrix.criteria),
            "weights": [round(float(v), 6) for v in w],
            "directions": [int(v) for v in d],
            "higher_score_is_better": result.higher_is_better,
            "alternatives": [
                {"name": name, "score": score, "rank": rank} for name, score, rank in rows
            ],
        }
        if scale is not None:
            payload |= {"kernel": kernel, "discordance_scale": scale}
        write(json.dumps(payload, indent=2), None)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result.method}: {matrix_file.name}", title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Alternative")
    table.add_column("Score", justify="right")
    for name, score, rank in rows:
        table.add_row(str(rank), name, f"{score:.4f}")
    shown = ", ".join(
        f"{c} {v:.1%}{' (-)' if s < 0 else ''}"
        for c, v, s in zip(matrix.criteria, w, d, strict=True)
    )
    table.caption = f"Weights: {shown}." + (
        "" if result.higher_is_better else " Lower score is better."
    )
    if scale is not None:
        table.caption += f" Kernel: {', '.join(kernel)} (discordance scale {scale})."
    table.caption_justify = "left"
    Console().print(table)
