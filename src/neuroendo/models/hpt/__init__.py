"""Models of the hypothalamic–pituitary–thyroid (HPT) axis, one module per published model."""
