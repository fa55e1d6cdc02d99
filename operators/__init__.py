"""Mobility operators, their fleets and the reports routed to them."""
