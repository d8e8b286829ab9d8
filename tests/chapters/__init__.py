"""What a chapter's fast tests (tests/unit) and end-to-end tests (tests/e2e) both use: one module
per chapter, its helpers imported by name and its fixtures registered in conftest.py."""
