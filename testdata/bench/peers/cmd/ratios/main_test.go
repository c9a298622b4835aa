package main

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	in := `goos: linux
# not timed: work=W1_amf3 peer=livego: fails: EOF
BenchmarkDecode/work=W1_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  1000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=amfcall-json-2   100  1000000 ns/op  55.4 MB/s   500000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=ref-2            100  3000000 ns/op  18.5 MB/s  1500000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=livego-wrong-2   100   100000 ns/op 554.3 MB/s    50000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  3000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W1_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  2000000 cpu-ns/op  10 B/op  1 allocs/op
BenchmarkDecode/work=W2_amf3/peer=amfcall-2        100  2000000 ns/op  27.7 MB/s  1000000 cpu-ns/op  10 B/op  1 allocs/op
`
	var out strings.Builder
	if err := report(&out, strings.NewReader(in), "cpu-ns/op"); err != nil {
		t.Fatal(err)
	}
	// W1: the median of amfcall's three is 2 ms, ref's 1.5 ms: 0.75x;
	// the JSON path 0.5 ms: 3x; the -wrong peer is not the fastest.
	// W2 has no peer to compare with.
	want := `work     amfcall        amfcall-json   fastest peer           n
W1_amf3  0.75x          3.00x          ref 1.50ms             3
W2_amf3  -              -              -                      1
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if err := report(&out, strings.NewReader(in), "ns/op"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "W1_amf3  1.50x          3.00x          ref 3.00ms") {
		t.Errorf("wall time table:\n%s", out.String())
	}
	if err := report(&out, strings.NewReader("PASS\n"), "ns/op"); err == nil {
		t.Error("no results: want an error")
	}
}
