package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestSweep runs a sweep on a fake test binary: every tree, workload and
// peer in a run of its own, each first in turn, results tagged with
// their tree and round, the header once, a peer with no result skipped.
func TestSweep(t *testing.T) {
	var runs []string
	s := &sweep{
		trees: []tree{{"a", "/bin/a"}, {"b", "/bin/b"}},
		works: []string{"W2_amf0"}, peers: []string{"amfcall", "joy4"},
		benchtime: "10x",
		exec: func(bin string, args []string) ([]byte, error) {
			bench := args[3]
			runs = append(runs, bin+" "+bench)
			if !strings.Contains(strings.Join(args, " "), "-test.benchtime 10x -test.count 1") {
				t.Errorf("args %q", args)
			}
			if bin == "/bin/b" && strings.Contains(bench, "joy4") {
				return []byte("goos: linux\n# not timed: work=W2_amf0 peer=joy4: fails\nPASS\n"), nil
			}
			peer := bench[strings.LastIndex(bench, "=")+1 : len(bench)-1]
			return []byte(fmt.Sprintf("goos: linux\npkg: p\nBenchmarkDecode/work=W2_amf0/peer=%s-2 \t 10\t 100 ns/op\t 50 cpu-ns/op\nPASS\nok\n", peer)), nil
		},
	}
	var out, errs strings.Builder
	if err := s.run(&out, &errs, 2); err != nil {
		t.Fatal(err)
	}
	wantRuns := []string{
		"/bin/a ^BenchmarkDecode$/^work=W2_amf0$/^peer=amfcall$", "/bin/a ^BenchmarkDecode$/^work=W2_amf0$/^peer=joy4$",
		"/bin/b ^BenchmarkDecode$/^work=W2_amf0$/^peer=amfcall$", "/bin/b ^BenchmarkDecode$/^work=W2_amf0$/^peer=joy4$",
		"/bin/a ^BenchmarkDecode$/^work=W2_amf0$/^peer=joy4$", "/bin/b ^BenchmarkDecode$/^work=W2_amf0$/^peer=amfcall$",
		"/bin/b ^BenchmarkDecode$/^work=W2_amf0$/^peer=joy4$", "/bin/a ^BenchmarkDecode$/^work=W2_amf0$/^peer=amfcall$",
	}
	if strings.Join(runs, "\n") != strings.Join(wantRuns, "\n") {
		t.Errorf("runs\n%s\nwant\n%s", strings.Join(runs, "\n"), strings.Join(wantRuns, "\n"))
	}
	want := `goos: linux
pkg: p
tree: a
round: 1
BenchmarkDecode/work=W2_amf0/peer=amfcall-2 	 10	 100 ns/op	 50 cpu-ns/op
tree: a
round: 1
BenchmarkDecode/work=W2_amf0/peer=joy4-2 	 10	 100 ns/op	 50 cpu-ns/op
tree: b
round: 1
BenchmarkDecode/work=W2_amf0/peer=amfcall-2 	 10	 100 ns/op	 50 cpu-ns/op
# not timed: work=W2_amf0 peer=joy4: fails
tree: a
round: 2
BenchmarkDecode/work=W2_amf0/peer=joy4-2 	 10	 100 ns/op	 50 cpu-ns/op
tree: b
round: 2
BenchmarkDecode/work=W2_amf0/peer=amfcall-2 	 10	 100 ns/op	 50 cpu-ns/op
tree: a
round: 2
BenchmarkDecode/work=W2_amf0/peer=amfcall-2 	 10	 100 ns/op	 50 cpu-ns/op
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}
