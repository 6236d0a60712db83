"""The directory: search, profiles of people, organisations and wijken, vCards, self-service edit."""
