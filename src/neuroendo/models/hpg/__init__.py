"""Models of the hypothalamic–pituitary–gonadal (HPG) axis, one module per published model."""
