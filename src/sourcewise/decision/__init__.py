"""Multi-criteria decision analysis: ranking methods, weights, robustness."""
