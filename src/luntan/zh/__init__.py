"""Chinese text: pure functions with no Django imports (see DESIGN.md)."""
