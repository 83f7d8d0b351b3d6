"""Data and rules of chidao: organisation trees, directive specs, Vietnamese text rules."""
