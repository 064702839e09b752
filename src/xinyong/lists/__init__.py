"""Red and black lists: rules, the listing procedure and its deadlines."""
