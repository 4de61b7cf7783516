# share/completions/completions.mk - shell completion scripts (issue 6).
