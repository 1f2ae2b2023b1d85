from django import forms

from accounts.forms import DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


DATE_WIDGETS = {"date": DateInput()}

__all__ = ["DateInput", "TimeInput"]


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that never renders a link: private files have no public URL."""

    def is_initial(self, value) -> bool:
        return False
