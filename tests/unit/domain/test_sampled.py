"""Fields that may hold one value per draw say so in their type, and only they."""

import numpy as np
import pytest

from sourcewise.domain.sampled import as_number, sampled_fields
from sourcewise.domain.scenario import Company, Site


def test_the_fields_typed_sampled_are_read_from_the_annotations() -> None:
    assert sampled_fields(Company) == {"wage_inflation"}
    site = sampled_fields(Site)
    assert {"hourly_rate", "governance_overhead_after_transfer"} <= site  # Sampled, or None
    assert not {"fte", "billable_hours_per_fte", "share", "fx_path", "country"} & site


def test_as_number_gives_the_number_and_refuses_draws() -> None:
    assert as_number(1.5) == 1.5
    with pytest.raises(TypeError, match="3 draws"):
        as_number(np.array([1.0, 2.0, 3.0]))
