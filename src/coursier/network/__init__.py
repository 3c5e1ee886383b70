"""Coursier's connections to the outside world: `ppf`, the PPF (directory, register, flows);
`peers`, the other platforms (PA to PA); `connectors`, the set a process holds."""
