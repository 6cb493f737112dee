"""Built-in behaviour, registered as ordinary plugins (``trylast``) so county plugins win."""
