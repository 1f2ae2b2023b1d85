"""Forms of the peer-support screens: record forms (`records`) and list filters (`filters`)."""
