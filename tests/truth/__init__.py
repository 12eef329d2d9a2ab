"""The truth matrix: generated container configurations, each built and stopped for real, and
the static prediction compared with what the container did (see tests/truth/README.md)."""
