"""Pure scoring functions over exact fractions: quality, price, social value, size, ranking."""
