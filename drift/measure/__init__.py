"""Measures over usage embeddings and counts: drift scores, significance, senses."""
