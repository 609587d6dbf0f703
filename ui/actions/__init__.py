"""The workflow's actions on one complaint: which ones a user may take (availability), their forms, and the
QActions for the menu and the detail panel."""
