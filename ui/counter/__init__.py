"""Counter mode (translation area ``counter``): the window of a counter officer serving citizens across the desk —
a step-by-step intake with a review page the citizen reads and a receipt, and the status look-up with a status
letter; never a list of other people's complaints."""

from ui.counter.window import CounterWindow

__all__ = ["CounterWindow"]
