"""Routes of the Retail Prices API (host prices.azure.com; `/_prices` on a served emulator)."""

from __future__ import annotations

from azlake.emulator.core.app import Emulator
from azlake.emulator.prices import responses


def register(app: Emulator) -> None:
    app.route("prices", "GET", "/api/retail/prices", lambda req: responses.retail_prices(req))
