"""`collect`: a learning platform's bulk download of an assignment, as nbgrader's submitted layout.

One module per job: `archive` reads the zip safely, `canvas` and `moodle` each read one platform's
member names, `notebooks` tells which released notebook a file is, `roster` says which student a
platform's number or name is, `collect` chooses and writes, `command` is the command line."""
