"""Writes the fork's sample data: small, generated, deterministic, and nobody's property.

The CSV files in 01_source_data/ were made by this script; running it again gives the same bytes.
A linear congruential generator with a fixed seed keeps the output identical on every Python.
"""
import csv
import os
from datetime import date, timedelta
from pathlib import Path

SOURCE_DATA_DIR = Path(os.environ.get("SOURCE_DATA_DIR", Path(__file__).resolve().parent.parent / "01_source_data"))

CITIES = ["Northbridge", "Eastvale", "Southport", "Westhaven", "Lakeside"]
FIRST_NAMES = ["Ada", "Bo", "Cy", "Di", "Ed", "Fay", "Gus", "Hal", "Ivy", "Jo"]
PRODUCTS = [
    ("P01", "Notebook", "stationery", 3.50),
    ("P02", "Pencil set", "stationery", 4.25),
    ("P03", "Desk lamp", "furniture", 24.00),
    ("P04", "Chair cushion", "furniture", 12.75),
    ("P05", "Water bottle", "kitchen", 9.90),
    ("P06", "Coffee mug", "kitchen", 7.20),
    ("P07", "Backpack", "bags", 39.00),
    ("P08", "Tote bag", "bags", 11.00),
]
STATUSES = ["placed", "shipped", "completed", "completed", "completed", "returned"]
CUSTOMER_COUNT = 20
ORDER_COUNT = 60


class Lcg:
    """Numerical Recipes LCG: deterministic, dependency-free, not for anything secret."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def next(self, bound: int) -> int:
        self.state = (1664525 * self.state + 1013904223) % 2**32
        return (self.state >> 16) % bound


def write_csv(path: Path, header: list, rows: list) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rng = Lcg(20240601)
    SOURCE_DATA_DIR.mkdir(parents=True, exist_ok=True)
    customers = []
    for i in range(1, CUSTOMER_COUNT + 1):
        name = f"{FIRST_NAMES[rng.next(len(FIRST_NAMES))]} {chr(65 + rng.next(26))}."
        signup = date(2024, 1, 1) + timedelta(days=rng.next(120))
        customers.append([i, name, CITIES[rng.next(len(CITIES))], signup.isoformat()])
    write_csv(SOURCE_DATA_DIR / "customers.csv", ["customer_id", "customer_name", "city", "signup_date"], customers)
    write_csv(
        SOURCE_DATA_DIR / "products.csv",
        ["product_id", "product_name", "category", "unit_price"],
        [[p[0], p[1], p[2], f"{p[3]:.2f}"] for p in PRODUCTS],
    )
    orders = []
    for i in range(1, ORDER_COUNT + 1):
        customer_id = 1 + rng.next(CUSTOMER_COUNT)
        product = PRODUCTS[rng.next(len(PRODUCTS))]
        quantity = 1 + rng.next(4)
        ordered = date(2024, 5, 1) + timedelta(days=rng.next(90))
        orders.append([1000 + i, customer_id, product[0], quantity, ordered.isoformat(), STATUSES[rng.next(len(STATUSES))]])
    write_csv(
        SOURCE_DATA_DIR / "orders.csv",
        ["order_id", "customer_id", "product_id", "quantity", "order_date", "status"],
        orders,
    )


if __name__ == "__main__":
    main()
