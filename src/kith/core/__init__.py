"""Pure rules of networking over plain dataclasses: no I/O, no SQL, no clock."""
