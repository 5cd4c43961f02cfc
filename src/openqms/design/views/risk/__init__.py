"""Risk management pages (ISO 14971): risk files with their matrix, hazards and
situations, controls, the FMEA view, the signed report and risk reviews."""
