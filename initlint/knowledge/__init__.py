"""What initlint knows about programs and base images, kept as data tables."""
