"""The engagement file's service-credit terms and names, read into the engagement record."""

from pathlib import Path

from sourcewise.adapters.engagement_file import load_engagement_file

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "governance" / "engagement.yaml"


def test_the_example_caps_credits_at_four_months_a_year() -> None:
    loaded, problems = load_engagement_file(EXAMPLE)
    assert problems == []
    assert loaded is not None
    assert loaded.engagement.max_credit_months == 4


def test_without_the_clause_there_is_no_month_count(tmp_path: Path) -> None:
    path = tmp_path / "engagement.yaml"
    path.write_text(EXAMPLE.read_text().replace("  max_credit_months: 4\n", ""))
    loaded, problems = load_engagement_file(path)
    assert problems == []
    assert loaded is not None
    assert loaded.engagement.max_credit_months is None


def test_a_month_count_past_twelve_is_named_with_its_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    line = text.splitlines().index("  max_credit_months: 4") + 1
    path = tmp_path / "engagement.yaml"
    path.write_text(text.replace("max_credit_months: 4", "max_credit_months: 13"))
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [(p.line, p.path) for p in problems] == [(line, "service_credits.max_credit_months")]
    assert "12" in problems[0].message


def test_names_are_stored_without_their_outer_spaces(tmp_path: Path) -> None:
    # Measurement files name an engagement stripped; a spaced name could never be matched.
    path = tmp_path / "engagement.yaml"
    text = EXAMPLE.read_text()
    text = text.replace("  name: Customer service Monterrey", '  name: "  Spaced name  "')
    path.write_text(text.replace("  name: Monterrey bilingual BPO", '  name: " Spaced BPO "'))
    loaded, problems = load_engagement_file(path)
    assert problems == []
    assert loaded is not None
    assert (loaded.engagement.name, loaded.engagement.provider) == ("Spaced name", "Spaced BPO")
    assert loaded.provider.name == "Spaced BPO"


def test_a_name_of_only_spaces_is_named_with_its_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    line = text.splitlines().index("  name: Customer service Monterrey") + 1
    path = tmp_path / "engagement.yaml"
    path.write_text(text.replace("  name: Customer service Monterrey", '  name: "   "'))
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [(p.file, p.line, p.path) for p in problems] == [(str(path), line, "engagement.name")]
    assert "spaces" in problems[0].message
