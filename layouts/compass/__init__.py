"""Themes with a strength score and activities each, drawn as a compass (inspiratiekompas)."""
