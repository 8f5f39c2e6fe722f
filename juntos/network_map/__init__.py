"""Network map: actors and ties as a graph, metrics, questions, import and export."""
