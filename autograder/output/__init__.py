"""OUT_DIR, what a batch leaves behind, and its sole reader and writer: the folder's layout
(`layout`), grades.csv (`grades`), the journal of finished submissions (`journal`), and the
statuses a notebook's grading can end with (`statuses`)."""
