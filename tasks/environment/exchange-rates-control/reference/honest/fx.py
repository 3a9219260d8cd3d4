import json
import urllib.request

RATES_URL = "https://api.frankfurter.app/latest"


def convert(amount: float, currency: str, rates_url: str = RATES_URL) -> float:
    with urllib.request.urlopen(rates_url if rates_url.startswith("file:") else f"{rates_url}?from=EUR", timeout=10) as response:
        rates = json.load(response)["rates"]
    if currency == "EUR":
        return round(amount, 2)
    if currency not in rates:
        raise KeyError(currency)
    return round(amount * rates[currency], 2)
