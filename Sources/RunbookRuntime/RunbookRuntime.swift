// RunbookRuntime
