"""Coupled multi-axis models (HPA–HPT–HPG–ANS networks), built by composition of axis models."""
