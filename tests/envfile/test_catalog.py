"""The catalog: sizes, prices with their basis, HDInsight versions, regions and role ids."""

from __future__ import annotations

from azlake import catalog


def test_lecture_sizes_are_known_with_capacity_and_price():
    e2 = catalog.vm_size("Standard_E2_v3")
    assert (e2.vcpus, e2.ram_gib) == (2, 16.0) and e2.hourly_usd > 0
    a2 = catalog.vm_size("standard_a2_v2")  # Azure size names are case-insensitive
    assert a2.name == "Standard_A2_v2" and (a2.vcpus, a2.ram_gib) == (2, 4.0)
    assert catalog.vm_size("Standard_Z99_v9") is None
    assert catalog.hourly_price("Standard_D12_v2") == catalog.vm_size("Standard_D12_v2").hourly_usd
    assert "without HDInsight's own charge" in catalog.price_basis()
    assert catalog.prices_as_of() and catalog.eventhubs_prices()["standard"] > 0


def test_every_size_has_roles_and_ev3_stops_at_64_vcpus():
    sizes = catalog.vm_sizes()
    assert all(s.roles and s.vcpus > 0 and s.ram_gib > 0 for s in sizes)
    assert max(s.vcpus for s in sizes if s.name.endswith("_v3")) == 64
    assert "head" not in catalog.vm_size("Standard_A2_v2").roles


def test_versions_status():
    assert catalog.hdinsight_version("5.1").spark == "3.3"
    assert catalog.hdinsight_version("5.1").status == "supported"
    assert catalog.hdinsight_version("5.0").status == "retired"
    assert catalog.hdinsight_version("4.0").status == "retired"
    assert catalog.hdinsight_version("9.9") is None


def test_regions_and_roles():
    regions = catalog.regions()
    assert "brazilsouth" in regions and "westeurope" in regions and len(regions) == len(set(regions))
    assert catalog.role_definition_id("Storage Blob Data Owner") == "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
    assert catalog.role_definition_id("Storage Blob Data Reader") == "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    try:
        catalog.role_definition_id("Storage Blob Data Owne")
    except KeyError as err:
        assert "Storage Blob Data Owner" in str(err)
    else:
        raise AssertionError("an unknown role must raise KeyError")


def test_packaged_prices_carry_their_sources_and_dates():
    """Every packaged figure says where it comes from; a figure without a source is null, never guessed."""
    import datetime as dt
    import json
    from pathlib import Path
    data = Path(catalog.__file__).parent / "data"
    sizes = json.loads((data / "vm_sizes.json").read_text())
    dt.date.fromisoformat(sizes["as_of"])
    assert set(sizes["sources"]) == {"hourly_usd", "hdinsight_hourly_usd"}
    assert "includes the VM" in sizes["hdinsight_meters"]["what_a_meter_covers"]
    assert len(sizes["hdinsight_meters"]["sources"]) >= 2
    assert all("hdinsight_hourly_usd" in s for s in sizes["sizes"])
    hubs = json.loads((data / "eventhubs_prices.json").read_text())
    dt.date.fromisoformat(hubs["as_of"])
    assert set(hubs["units_per_hour_usd"]) == set(hubs["sources"]) == {"basic", "standard", "premium"}
