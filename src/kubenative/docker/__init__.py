"""Everything that talks to Docker lives here."""
