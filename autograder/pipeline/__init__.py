"""The nbgrader pipeline: its configuration and the pipelines as settings (`config`), one
preprocessor a module (`execute`, `compare_hidden_results`, `overwrite_cells`,
`shorten_tracebacks`), what the hidden phase runs and keeps (`hidden_phase`), the submission
put back into the released shape before nbgrader sees it (`normalize`), the feedback pages'
exporter (`feedback`), and every change made to nbgrader itself, in one module (`patches`)."""
