"""Form pieces shared by the apps' forms."""

from __future__ import annotations

from django import forms


def coordinate_field(label) -> forms.CharField:
    """A typed latitude or longitude; ``cocreate.geo`` checks it in the action that saves it."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
