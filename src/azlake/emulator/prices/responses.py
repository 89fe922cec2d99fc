"""The Retail Prices API over HTTP: one GET, filtered, paged with NextPageLink."""

from __future__ import annotations

from urllib.parse import urlencode

from azlake.emulator.core.http import Request, Response
from azlake.emulator.prices import models


def retail_prices(req: Request) -> Response:
    """GET /api/retail/prices?$filter=...&$skip=N: no sign-in, like the real API."""
    chosen = models.select(models.parse_filter(req.q("$filter")))
    skip = int(req.q("$skip") or 0)
    page = chosen[skip:skip + models.PAGE_SIZE]
    following = None
    if skip + models.PAGE_SIZE < len(chosen):
        params = {k: v for k, v in req.query.items() if k.lower() != "$skip"}
        base = req.url.split("?", 1)[0]
        following = f"{base}?{urlencode({**params, '$skip': skip + models.PAGE_SIZE})}"
    return Response.json({"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
                          "Items": page, "NextPageLink": following, "Count": len(page)})
