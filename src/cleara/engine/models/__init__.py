"""Trained model artifacts: loading, versioning and the runtimes that evaluate them."""
