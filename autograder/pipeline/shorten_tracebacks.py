"""The feedback's errors, one line each."""

from nbgrader.preprocessors import NbGraderPreprocessor

# The longest error line a feedback page shows: the student's own code writes the message.
MAX_ERROR_CHARACTERS = 1000


class ShortenTracebacks(NbGraderPreprocessor):
    """Keep only an error's last line, 'CheckFailed: what was expected', in the feedback.

    A full traceback shows the lines of the test cell and of the grading helpers around the
    failure: hidden-test code a student must not see, and noise they need not read.
    (Based on nbgrader's preprocessor class, which is enabled by default; nbconvert's is not.)
    """

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                line = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                if len(line) > MAX_ERROR_CHARACTERS:
                    line = line[: MAX_ERROR_CHARACTERS - 1] + "…"
                output["traceback"] = [line]
        return cell, resources
