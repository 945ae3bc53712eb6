"""One function per user action, one transaction each: what the CLI and the web both call."""
