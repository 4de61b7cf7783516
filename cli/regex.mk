# cli/regex.mk - regex search and JSON output (issue 4).
