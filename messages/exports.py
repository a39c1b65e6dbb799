"""Texts for the PDF report and the data exports."""

NL: dict[str, str] = {
}
