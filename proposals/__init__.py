"""Citizens' proposals, comments, supports and the city's answers."""
