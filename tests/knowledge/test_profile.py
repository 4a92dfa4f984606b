"""Store profile validation: clear errors that name the field."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.profile import DEMO_PROFILE, ProfileInvalid, load_profile


def write(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(DEMO_PROFILE.read_text())
    change(document)
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(ProfileInvalid) as invalid:
        load_profile(path)
    return invalid.value.errors


def test_the_demo_profile_is_valid():
    profile = load_profile(DEMO_PROFILE)
    assert profile.store_name == "Sauda Demo Store"
    assert profile.delivery.for_city("khi")[1].charge == 150
    assert profile.product_url("bridal-khussa") == "https://demo.sauda.pk/products/bridal-khussa"


def test_city_keys_are_read_in_any_spelling(tmp_path):
    def rename(d):
        d["delivery"]["cities"]["Pindi"] = d["delivery"]["cities"].pop("Rawalpindi")
    assert load_profile(write(tmp_path, rename)).delivery.for_city("rwp")[0] == "Rawalpindi"


def test_a_city_listed_twice_is_an_error(tmp_path):
    path = write(tmp_path, lambda d: d["delivery"]["cities"].update({"Khi": {"min_days": 1, "max_days": 1, "charge": 99}}))
    assert any(e.startswith("delivery.cities:") and "already listed" in e for e in errors(path))


def test_every_error_names_its_field(tmp_path):
    def break_it(d):
        del d["store_name"]
        d["delivery"]["cities"]["Karachi"]["charge"] = -5
        d["delivery"]["default"]["max_days"] = 1  # less than min_days 4
        d["jazzcash"]["number"] = "12345"
        d["product_link"] = "https://shop.pk/products"  # no {product_id}
        d["colour_of_logo"] = "red"
    found = errors(write(tmp_path, break_it))
    assert any(e.startswith("store_name: Field required") for e in found)
    assert any(e.startswith("delivery.cities.Karachi.charge:") for e in found)
    assert any(e.startswith("delivery.default:") and "max_days (1) is less than min_days (4)" in e for e in found)
    assert any(e.startswith("jazzcash.number:") for e in found)
    assert any(e.startswith("product_link:") for e in found)
    assert any(e.startswith("colour_of_logo: Extra inputs are not permitted") for e in found)
    assert len(found) == 6


def test_yaml_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("- just\n- a list\n")
    assert "expected a mapping" in errors(path)[0]


def test_broken_yaml(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("store_name: [unclosed\n")
    assert errors(path)[0].startswith("not valid YAML")


def test_cli_profile_check(tmp_path, capsys):
    from knowledge.__main__ import main

    assert main(["profile", "check", str(DEMO_PROFILE)]) == 0
    bad = write(tmp_path, lambda d: d.pop("cod"))
    assert main(["profile", "check", str(bad)]) == 1
    assert "cod: Field required" in capsys.readouterr().err
