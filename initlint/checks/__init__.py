"""Rules: one module per rule, each a pure function of one RuntimeSpec."""
