"""The chemotherapy case study of the R package voi (Jackson, Heath et al.; the case study of
Heath, Kunst & Jackson, "Value of Information for Healthcare Decision-Making", CRC Press 2024):
10,000 draws of the net benefit of two treatments and of 14 parameters. The package's own tests
print EVPI = 368.605096225918 (an exact computation: reproduced to its printed precision) and the
EVPPI of ``p_side_effects_t2`` as 262.1109 by mgcv's GAM (cubic regression spline), 261.8708 with
a thin-plate basis and 261.6701 to 262.8047 by other estimators: ours, a P-spline, must fall
among them.

The data are GPL-3 (the voi package), so they are not copied into this repository: point
``SOURCEWISE_VOI_DATA`` at a folder holding ``chemo_nb.rda`` and ``chemo_pars.rda`` from
https://github.com/chjackson/voi (``data/``), or the test is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from r_data import load_rda

from sourcewise.decision.value_of_information import evpi, evppi

FOLDER = Path(os.environ.get("SOURCEWISE_VOI_DATA", "/nonexistent"))
pytestmark = pytest.mark.skipif(
    not (FOLDER / "chemo_nb.rda").exists(),
    reason="set SOURCEWISE_VOI_DATA to the voi package's data folder (GPL-3, not vendored)",
)


@pytest.fixture(scope="module")
def costs() -> np.ndarray:
    frame = load_rda(FOLDER / "chemo_nb.rda")["chemo_nb"]
    return -np.column_stack([frame["SoC"], frame["Novel"]])  # net benefit: higher is better


def test_evpi_reproduces_the_printed_value(costs: np.ndarray) -> None:
    assert evpi(costs).value == pytest.approx(368.605096225918, rel=1e-12)


def test_evppi_falls_among_the_published_estimators(costs: np.ndarray) -> None:
    parameters = load_rda(FOLDER / "chemo_pars.rda")["chemo_pars"]
    value = evppi(costs, parameters["p_side_effects_t2"]).value
    assert 261.6 <= value <= 262.9
    assert value == pytest.approx(262.1109, rel=2e-3)
