"""crema-budget: the 2016 Crema co-design agreement as data, every figure computed and checked."""

__version__ = "0.1.0"
