"""``sourcewise rank``: a decision matrix the analyst brings, ranked by a chosen method."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sourcewise.cli.app import OutputFormat, app, fail, write

if TYPE_CHECKING:
    from collections.abc import Callable

    from sourcewise.decision.matrix import Ranking


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
    import numpy as np

    from sourcewise.adapters.matrix_file import read_matrix
    from sourcewise.decision import ranking
    from sourcewise.decision import weights as derive
    from sourcewise.domain.problems import Problem

    matrix, problems = read_matrix(matrix_file)
    if matrix is None:
        fail(problems, f"{matrix_file} is not a valid matrix")
    n = len(matrix.criteria)

    def numbers(text: str, option: str) -> list[float]:
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError:
            fail(
                [Problem("<command line>", None, option, f"'{text}' is not a list of numbers")],
                "bad option",
            )
        if len(values) != n:
            fail(
                [
                    Problem(
                        "<command line>",
                        None,
                        option,
                        f"gives {len(values)} values for {n} criteria "
                        f"({', '.join(matrix.criteria)})",
                    )
                ],
                "bad option",
            )
        return values

    if discordance_scale is not None and method is not RankMethod.electre:
        fail(
            [Problem("<command line>", None, "--discordance-scale", "applies to electre only")],
            "bad option",
        )
    d = np.array(numbers(directions, "--directions") if directions else [1.0] * n)
    try:
        derivers = {
            "entropy": derive.entropy_weights,
            "critic": derive.critic_weights,
            "merec": derive.merec_weights,
        }
        if weights in derivers:
            w = derivers[weights](matrix.values, d)
        else:
            raw = np.array(numbers(weights, "--weights"))
            w = raw / raw.sum()
        methods: dict[RankMethod, Callable[..., Ranking]] = {
            RankMethod.wsm: ranking.wsm,
            RankMethod.wpm: ranking.wpm,
            RankMethod.topsis: ranking.topsis,
            RankMethod.vikor: ranking.vikor,
            RankMethod.promethee: ranking.promethee_ii,
            RankMethod.electre: ranking.electre_i,
        }
        options = (
            {} if discordance_scale is None else {"discordance_scale": discordance_scale.value}
        )
        result = methods[method](matrix.values, w, d, **options)
    except ValueError as error:
        fail([Problem(str(matrix_file), None, "", str(error))], "cannot rank")
    rows = sorted(
        zip(matrix.alternatives, result.scores.tolist(), result.ranks.tolist(), strict=True),
        key=lambda row: row[2],
    )
    # ELECTRE I chooses rather than ranks: its answer, the kernel, is shown beside the scores.
    electre = result if isinstance(result, ranking.ElectreResult) else None
    kernel = [] if electre is None else [matrix.alternatives[i] for i in electre.kernel]
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
        if electre is not None:
            payload |= {"kernel": kernel, "discordance_scale": electre.discordance_scale}
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
    if electre is not None:
        table.caption += (
            f" Kernel: {', '.join(kernel)} (discordance scale {electre.discordance_scale})."
        )
    table.caption_justify = "left"
    Console().print(table)
