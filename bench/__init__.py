"""`make bench` (see bench/README.md)."""

#: The yardstick: a trivial templated view served by the site itself (bench/site/).
SITE_TRIVIAL = "/__bench__/trivial/"
