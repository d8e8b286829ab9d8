"""`python -m autograder check NOTEBOOK`: a student's public checks from the shell."""

from support import run


def check(submitted, student):
    return run("check", submitted / student / "ch1_sigmoid" / "sigmoid_neuron.ipynb", timeout=300)


def test_a_correct_notebook_passes(submitted):
    result = check(submitted, "correct")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed, 0 failed" in result.stdout


def test_a_stub_fails_every_function_and_says_what_to_do(submitted):
    result = check(submitted, "stub")
    assert result.returncode == 1
    for name in ["sigmoid", "sigmoid_derivative", "neuron_output"]:
        assert f"FAIL  {name}: CheckFailed" in result.stdout
    assert "replace `raise NotImplementedError()`" in result.stdout


def test_one_mistake_fails_only_its_function(submitted):
    result = check(submitted, "neuron-forgets-bias")
    assert result.returncode == 1
    assert "PASS  sigmoid\n" in result.stdout and "FAIL  neuron_output" in result.stdout


def test_a_file_that_is_not_a_notebook_cannot_be_run(submitted):
    result = check(submitted, "truncated-json")
    assert result.returncode == 2
    assert "cannot be read as a notebook" in result.stdout
