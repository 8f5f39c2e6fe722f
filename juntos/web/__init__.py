"""The Starlette app: turns HTTP into calls of the areas' functions and renders templates."""
