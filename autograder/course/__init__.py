"""The course on disk: where it lives (`paths`), the reference read from the source notebooks
(`reference`), the release of the exercises (`release`) and of the provided cells
(`provided`), and the sample submissions (`samples`). Never bound into a student's kernel:
it holds, or reads, the answers."""
