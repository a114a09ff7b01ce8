"""drift.toml parsing and the `drift init` template."""

import pytest

from drift.config import ConfigError, load_config, parse_config, write_template


def test_template_round_trips(tmp_path):
    path = tmp_path / "drift.toml"
    write_template(path)
    config = load_config(path)
    assert {c.name for c in config.concepts} >= {"qualified lead", "pipeline health", "pricing"}
    assert config.size_bands["enterprise"] == (1000, None)
    assert config.root == tmp_path


def test_roster_and_domains():
    config = parse_config({"company": {"domains": ["@Kestrelhq.com"]}, "voices": {"marketing": ["Owen Tsai"], "rep": ["Dana Whitfield"]}})
    assert config.company_domains == ("kestrelhq.com",)
    assert config.people == {"Owen Tsai": "marketing", "Dana Whitfield": "rep"}


def test_unknown_key_is_an_error_naming_it():
    with pytest.raises(ConfigError, match="permutatons"):
        parse_config({"measure": {"permutatons": 10}})


def test_bad_toml_names_the_file(tmp_path):
    bad = tmp_path / "drift.toml"
    bad.write_text("[company\nname = 1")
    with pytest.raises(ConfigError, match="drift.toml"):
        load_config(bad)


def test_nearest_config_is_found(tmp_path):
    (tmp_path / "drift.toml").write_text('[company]\nname = "Acme"\n')
    nested = tmp_path / "sales" / "calls"
    nested.mkdir(parents=True)
    assert load_config(search_from=nested).company_name == "Acme"


def test_no_config_file_still_tracks_the_default_concepts(tmp_path):
    config = load_config(search_from=tmp_path)
    assert config.source is None
    assert "qualified lead" in {c.name for c in config.concepts}
    assert config.size_bands["mid-market"] == (100, 999)
