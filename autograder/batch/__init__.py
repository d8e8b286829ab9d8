"""A batch of submissions: the coordinator (`grade`) and its command line (`command`), the
submissions found and hashed (`submissions`), where workers run (`executors`), one
submission's grading (`worker`) and the batch's gradebook (`gradebook`)."""
