"""Models of the hypothalamic–pituitary–adrenal (HPA) axis, one module per published model."""
