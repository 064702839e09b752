"""Credit-based supervision: inspection rounds drawn at random, more often for lower grades."""
