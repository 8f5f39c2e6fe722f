"""Import and export of networks: Kumu-shaped spreadsheets, GEXF, GraphML, node-link JSON."""
