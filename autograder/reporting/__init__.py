"""What a batch tells people: the console summary (`summary`), the class report
(`report`), the LMS exports (`export`), and the names of tests as students read them
(`labels`)."""
