"""Azure Retail Prices API (prices.azure.com/api/retail/prices), as the local cloud serves it."""
