# cli/shell.mk - the interactive shell (issue 5).
