"""`python -m autograder serve`: grading on submission. A way in and out of the grader, not a
second grader: each upload is graded by `autograder.batch.worker.grade_one`, as `grade` grades.

One module per job: the personal links (`tokens`), the class list (`roster`), each
assignment's rules (`policy`), the submissions and their queue in the database (`store`), an
upload's checks (`uploads`), the loop that grades the queue (`runner`), the pages (`pages`),
the web application (`app`) and the command (`command`).
"""
