"""Capacities: noodplekken, thuisbegeleiding, beschermd wonen, … — find, trust and claim them."""
