"""The rehearsal's record of checks: each is named, passes or fails with what was seen, and is
printed as it is made; the run fails when any check did."""
import sys


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, ok, seen=""):
        """Records check `name`: `ok` is its outcome, `seen` what was found when it failed."""
        if ok:
            self.passed += 1
            print(f"  ok    {name}", flush=True)
        else:
            self.failed.append(name)
            print(f"  FAIL  {name}: {seen}", flush=True)
        return ok

    def section(self, title):
        print(f"rehearsal: {title}", flush=True)

    def finish(self):
        total = self.passed + len(self.failed)
        if self.failed:
            print(f"rehearsal: {len(self.failed)} of {total} checks failed:", file=sys.stderr)
            for name in self.failed:
                print(f"  {name}", file=sys.stderr)
            return 1
        print(f"rehearsal: all {total} checks passed")
        return 0
