package peers

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

var timeWrong = flag.Bool("peers.wrong", false, "also time peers whose result is wrong (named peer=NAME-wrong), for information")

// wantVerdicts is what each peer makes of each workload, as found on the
// pinned versions in go.mod; a verdict that changes fails TestVerdicts,
// so the README's table cannot go stale unnoticed. Only a prefix is kept.
var wantVerdicts = map[string]map[string]string{
	"amfcall": {
		"W1_amf0": "ok", "W1_amf3": "ok", "W2_amf0": "ok", "W2_amf3": "ok",
		"W3_amf0": "ok", "W3_amf3": "ok", "W4_amf0": "ok",
	},
	"amfcall-json": {
		"W1_amf0": "ok", "W1_amf3": "ok", "W2_amf0": "ok", "W2_amf3": "ok",
		"W3_amf0": "ok", "W3_amf3": "ok", "W4_amf0": "ok",
	},
	"joy4": {
		"W1_amf0": "ok", "W1_amf3": "does not speak", "W2_amf0": "ok", "W2_amf3": "does not speak",
		"W3_amf0": "ok", "W3_amf3": "does not speak", "W4_amf0": "ok",
	},
	// livego returns an AMF0 date as a bare number, drops the milliseconds
	// of an AMF3 date, and fails on an AMF3 value whose last byte ends a
	// string of length 0 (its zero-length Read at the end of the input
	// returns io.EOF): W1 in AMF3 ends with an object's empty closing name.
	"livego": {
		"W1_amf0": "wrong: at /0/updated: got number", "W1_amf3": "fails: ", "W2_amf0": "ok", "W2_amf3": "ok",
		"W3_amf0": "ok", "W3_amf3": "ok", "W4_amf0": "ok",
	},
	"ref": {
		"W1_amf0": "ok", "W1_amf3": "ok", "W2_amf0": "ok", "W2_amf3": "ok",
		"W3_amf0": "ok", "W3_amf3": "ok", "W4_amf0": "ok",
	},
}

func TestVerdicts(t *testing.T) {
	peers := Peers()
	for _, spec := range Workloads() {
		w, err := spec.Build()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", w.Name, len(w.Data))
		for _, p := range peers {
			got := Verdict(p, w)
			t.Logf("%-8s %-13s %s", w.Name, p.Name, got)
			if want, ok := wantVerdicts[p.Name][w.Name]; ok && !strings.HasPrefix(got, want) {
				t.Errorf("%s on %s: %s, want %s", p.Name, w.Name, got, want)
			}
		}
	}
}

// TestW2AMF0IsLongString keeps W2 in AMF0 what the README says it is.
func TestW2AMF0IsLongString(t *testing.T) {
	for _, spec := range Workloads() {
		if spec.Name != "W2_amf0" {
			continue
		}
		w, err := spec.Build()
		if err != nil {
			t.Fatal(err)
		}
		if w.Data[0] != 0x0C || len(w.Data) != 5+4<<20 {
			t.Fatalf("W2_amf0 starts with 0x%02x and is %d bytes, want a 4 MiB long string", w.Data[0], len(w.Data))
		}
	}
}

// BenchmarkDecode times every peer that decodes a workload correctly, per
// byte of AMF input, and reports the process CPU time per operation
// (cpu-ns/op, the garbage collector's work included), steadier than the
// wall clock on a shared machine. Run it six times and compare columns
// with `benchstat -col /peer` (see README.md).
func BenchmarkDecode(b *testing.B) {
	for _, spec := range Workloads() {
		b.Run("work="+spec.Name, func(b *testing.B) {
			w, err := spec.Build()
			if err != nil {
				b.Fatal(err)
			}
			// Every verdict first, then the timing: a verdict leaves its
			// peer's buffers behind (amfcall-json keeps its JSON, 4 MiB
			// and more for W2), and a peer timed before them would run
			// with a smaller live heap, so more collections and more
			// pages given back and faulted in again, than one timed
			// after them.
			peers := Peers()
			verdicts := make([]string, len(peers))
			for i, p := range peers {
				if p.Speaks(w) {
					verdicts[i] = Verdict(p, w)
				}
			}
			for i, p := range peers {
				if !p.Speaks(w) {
					continue
				}
				name := p.Name
				v := verdicts[i]
				if v != "ok" {
					if !*timeWrong || !strings.HasPrefix(v, "wrong") {
						notTimed(w.Name, p.Name, v)
						continue
					}
					name += "-wrong"
				}
				b.Run("peer="+name, func(b *testing.B) {
					runtime.GC()
					b.SetBytes(int64(len(w.Data)))
					b.ReportAllocs()
					c0, f0 := cpuTime()
					n := 0
					for b.Loop() {
						if _, err := p.Decode(w.Data, w.AMF3); err != nil {
							b.Fatal(err)
						}
						n++
					}
					c1, f1 := cpuTime()
					if c := c1 - c0; c > 0 && n > 0 {
						b.ReportMetric(float64(c.Nanoseconds())/float64(n), "cpu-ns/op")
						b.ReportMetric(float64(f1-f0)/float64(n), "faults/op")
					}
				})
			}
		})
	}
}

var reported = map[string]bool{}

// notTimed says once per run, on stdout beside the results (benchstat
// ignores the line), that a peer was left out and why.
func notTimed(work, peer, why string) {
	if k := work + "/" + peer; !reported[k] {
		reported[k] = true
		fmt.Printf("# not timed: work=%s peer=%s: %s\n", work, peer, why)
	}
}
