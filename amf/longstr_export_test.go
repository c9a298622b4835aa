package amf

// For the benchmarks of package amf_test (longstr_bench_test.go).
var (
	CopyTextLong    = copyTextLong
	CopyTextGeneric = copyTextGeneric
)
