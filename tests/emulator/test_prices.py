"""The Retail Prices API as the local cloud serves it: no sign-in, OData $filter, 100 items a page with
NextPageLink (Microsoft's "Azure Retail Prices overview"), in-process and over HTTPS."""

from __future__ import annotations


def _get(clients, url, params=None):
    response = clients.http_session().get(url, params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_filter_selects_one_service_in_one_region(any_clients):
    doc = _get(any_clients, any_clients.retail_prices_url,
               {"$filter": "serviceName eq 'HDInsight' and armRegionName eq 'brazilsouth'"})
    assert doc["Count"] == len(doc["Items"]) > 0 and doc["NextPageLink"] is None
    assert {i["serviceName"] for i in doc["Items"]} == {"HDInsight"}
    assert {i["armRegionName"] for i in doc["Items"]} == {"brazilsouth"}
    e2 = next(i for i in doc["Items"] if i["meterName"] == "E2 v3")
    assert e2["unitOfMeasure"] == "1 Hour" and e2["type"] == "Consumption" and e2["retailPrice"] > 0
    eh = _get(any_clients, any_clients.retail_prices_url,
              {"$filter": "serviceName eq 'Event Hubs' and armRegionName eq 'brazilsouth'"})
    assert "Standard Throughput Unit" in {i["meterName"] for i in eh["Items"]}


def test_pages_of_one_hundred_follow_next_page_link(any_clients):
    first = _get(any_clients, any_clients.retail_prices_url)
    assert first["Count"] == 100 and first["NextPageLink"]
    second = _get(any_clients, first["NextPageLink"])
    assert second["Count"] > 0
    assert not {i["meterId"] + i["armRegionName"] for i in first["Items"]} & \
        {i["meterId"] + i["armRegionName"] for i in second["Items"]}


def test_a_filter_it_cannot_read_is_a_400(clients):
    response = clients.http_session().get(clients.retail_prices_url, params={"$filter": "serviceName ne 'x'"})
    assert response.status_code == 400 and "eq" in response.json()["error"]["message"]
