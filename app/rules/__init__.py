"""The rules a change must meet, as pure functions and data: the desktop's services check them before writing, and
the national server checks the same ones on what a PC pushes (a modified client gets no further than the app)."""
