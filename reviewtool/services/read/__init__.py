"""The read side: page, API and memo data as plain values, each query written once."""
