"""The instructor side of the course: release the exercises, grade submissions, check a notebook.

Run it as `python -m autograder {release,grade,check,samples}`; see the README's instructor guide.
"""
