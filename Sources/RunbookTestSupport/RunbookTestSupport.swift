// RunbookTestSupport
