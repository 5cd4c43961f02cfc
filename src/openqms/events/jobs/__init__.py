"""Periodic jobs of quality events (`openqms tick`), one file per area (jobs/<area>.py):
clock escalations, PMS report reminders, effectiveness checks due."""
