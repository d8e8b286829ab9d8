"""Judging a student's hidden results, outside the kernel: the reference's results for the
same inputs (`expected`, with `remember` sparing repeated work across students), the seed of a
student's inputs (`seeds`), the comparison and its sentence (`verdict`) and the chapters' views
(`views`). Nothing here knows nbgrader."""
