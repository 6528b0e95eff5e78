from sourcewise.domain.criteria import CRITERIA, NAMES


def test_each_criterion_has_one_name_a_direction_and_a_description() -> None:
    assert len(set(NAMES)) == len(CRITERIA)
    assert tuple(name for name, _, _ in CRITERIA) == NAMES
    assert all(direction in (-1, 1) and text for _, direction, text in CRITERIA)
