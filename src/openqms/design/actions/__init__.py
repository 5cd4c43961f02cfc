"""Design controls' writers, one file per area. Every change to a design record goes
through one of these functions (CONVENTIONS 1): pages, the API, commands and the demo
call them."""
