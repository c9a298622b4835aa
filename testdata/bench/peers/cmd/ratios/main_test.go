package main

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	// Three whole sweeps appended (no round lines): the k-th result of
	// each peer is round k.
	in := `goos: linux
# not timed: work=W1_amf3 peer=livego: fails: EOF
BenchmarkDecode/work=W1_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  1000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=amfcall-json-2   100  1000000 ns/op  55.4 MB/s   500000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=ref-2            100  3000000 ns/op  18.5 MB/s  1500000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=livego-wrong-2   100   100000 ns/op 554.3 MB/s    50000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=joy4-2           100  3000000 ns/op  18.5 MB/s  1600000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  3000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=ref-2            100  3000000 ns/op  18.5 MB/s  3000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  2000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=ref-2            100  3000000 ns/op  18.5 MB/s  1000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W2_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  1000000 cpu-ns/op  10 B/op  1 allocs/op
`
	var out strings.Builder
	if err := report(&out, strings.NewReader(in), "cpu-ns/op"); err != nil {
		t.Fatal(err)
	}
	// W1: ref (median 1.5 ms) is faster than joy4 (1.6 ms); the -wrong
	// peer is not counted. Rounds: 1.5/1 = 1.5, 3/3 = 1, 1/2 = 0.5:
	// median 1. The JSON path has round 1 only: 1.5/0.5 = 3. W2 has no
	// peer to compare with.
	want := `work     amfcall                amfcall-json           fastest peer           n
W1_amf3  1.00x [0.50-1.50]      3.00x [3.00-3.00]      ref 1.50ms             3
W2_amf3  -                      -                      -                      1
`
	if got := out.String(); !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	out.Reset()
	if err := report(&out, strings.NewReader(in), "ns/op"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "W1_amf3  1.50x [1.50-1.50]      3.00x [3.00-3.00]      joy4 3.00ms") {
		t.Errorf("wall time table:\n%s", out.String())
	}
	if err := report(&out, strings.NewReader("PASS\n"), "ns/op"); err == nil {
		t.Error("no results: want an error")
	}
}

// TestReportTrees reads cmd/sweep's output: a table per tree, rounds
// paired by their round lines whatever the order of the results.
func TestReportTrees(t *testing.T) {
	in := `tree: base
round: 1
BenchmarkDecode/work=W2_amf0/peer=joy4-2  10  1 ns/op  800000 cpu-ns/op
tree: new
round: 1
BenchmarkDecode/work=W2_amf0/peer=amfcall-2  10  1 ns/op  800000 cpu-ns/op
tree: base
round: 1
BenchmarkDecode/work=W2_amf0/peer=amfcall-2  10  1 ns/op  1000000 cpu-ns/op
tree: new
round: 1
BenchmarkDecode/work=W2_amf0/peer=joy4-2  10  1 ns/op  1000000 cpu-ns/op
tree: base
round: 2
BenchmarkDecode/work=W2_amf0/peer=amfcall-2  10  1 ns/op  2000000 cpu-ns/op
round: 3
BenchmarkDecode/work=W2_amf0/peer=joy4-2  10  1 ns/op  900000 cpu-ns/op
round: 2
BenchmarkDecode/work=W2_amf0/peer=joy4-2  10  1 ns/op  1000000 cpu-ns/op
`
	var out strings.Builder
	if err := report(&out, strings.NewReader(in), "cpu-ns/op"); err != nil {
		t.Fatal(err)
	}
	// base: round 1 0.8/1, round 2 1/2 (round 3 has no amfcall): median
	// of the two 0.65; new: round 1 1/0.8.
	want := `tree: base
work     amfcall                amfcall-json           fastest peer           n
W2_amf0  0.65x [0.50-0.80]      -                      joy4 900.0µs           2

tree: new
work     amfcall                amfcall-json           fastest peer           n
W2_amf0  1.25x [1.25-1.25]      -                      joy4 1.00ms            1
`
	if got := out.String(); !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
