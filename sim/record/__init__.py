"""What a run leaves: the recorder (observes the step, draws nothing, feeds nothing back),
the run's tables and summary, and their files (written atomically)."""

from .run import (FILES, TABLES, CorruptRun, Run, check_run, is_finished, load, load_summary,
                  summarise)

__all__ = ["FILES", "TABLES", "CorruptRun", "Run", "check_run", "is_finished", "load",
           "load_summary", "summarise"]
