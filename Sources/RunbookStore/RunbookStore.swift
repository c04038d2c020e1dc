// RunbookStore
