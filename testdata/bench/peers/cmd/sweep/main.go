// Command sweep runs BenchmarkDecode with every peer in a process of its
// own, round after round, and writes the results in Go benchmark format
// with two configuration lines before each (`tree: NAME`, `round: N`),
// which benchstat and ratios read.
//
// Why a process per peer: the 4 MiB workloads (W2) cost more in the
// runtime around their allocation (collections, pages given back and
// faulted in again) than in the decoder, and that depends on the heap
// and the scavenger's state, which one peer's run leaves to the next in
// a shared process. Why rounds: the machine's load changes from minute
// to minute; in each round every peer (and every tree, with more than
// one test binary) runs once, the order turned by one each round, so a
// slow spell falls on all alike, and ratios pairs the peers round by
// round.
//
//	go test -c -o /tmp/peers.test .
//	go run ./cmd/sweep -work W2_amf0,W2_amf3 -rounds 8 main=/tmp/peers.test > sweep.txt
//	go run ./cmd/ratios sweep.txt
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// allWorks and allPeers are those of peers.go.
const (
	allWorks = "W1_amf0,W1_amf3,W2_amf0,W2_amf3,W3_amf0,W3_amf3,W4_amf0"
	allPeers = "amfcall,amfcall-json,joy4,livego,ref"
)

func main() {
	works := flag.String("work", allWorks, "workloads, comma-separated")
	peers := flag.String("peer", allPeers, "peers, comma-separated (a peer that does not speak a workload, or decodes it wrong, gives no result)")
	rounds := flag.Int("rounds", 6, "rounds")
	benchtime := flag.String("benchtime", "1s", "-test.benchtime of each run (an `x` count keeps runs alike)")
	procs := flag.String("cpu", "", "-test.cpu of each run (GOMAXPROCS; empty: all cores)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: sweep [flags] [NAME=]TEST_BINARY...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || *rounds < 1 {
		flag.Usage()
		os.Exit(2)
	}
	var trees []tree
	for i, a := range flag.Args() {
		name, bin, ok := strings.Cut(a, "=")
		if !ok {
			name, bin = fmt.Sprintf("t%d", i+1), a
		}
		trees = append(trees, tree{name, bin})
	}
	s := &sweep{trees: trees, works: split(*works), peers: split(*peers), benchtime: *benchtime, procs: *procs}
	if err := s.run(os.Stdout, os.Stderr, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

type tree struct{ name, bin string }

type sweep struct {
	trees            []tree
	works, peers     []string
	benchtime, procs string
	// exec runs a test binary with args and returns its stdout (a
	// variable for the tests).
	exec func(bin string, args []string) ([]byte, error)
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// A result line, and the lines benchstat reads as configuration of the
// results after them (goos: ..., pkg: ...).
var (
	resultLine = regexp.MustCompile(`^Benchmark\S+\s+\d+\s`)
	configLine = regexp.MustCompile(`^[a-z][^\s:]*: `)
)

// order is the runs of one round: every tree, workload and peer, turned
// by round r so that each runs first in turn.
func (s *sweep) order(r int) [][3]int {
	var runs [][3]int
	for t := range s.trees {
		for w := range s.works {
			for p := range s.peers {
				runs = append(runs, [3]int{t, w, p})
			}
		}
	}
	n := len(runs)
	out := make([][3]int, n)
	for i := range runs {
		out[i] = runs[(i+r)%n]
	}
	return out
}

func (s *sweep) run(stdout, stderr io.Writer, rounds int) error {
	run := s.exec
	if run == nil {
		run = func(bin string, args []string) ([]byte, error) {
			cmd := exec.Command(bin, args...)
			cmd.Stderr = stderr
			return cmd.Output()
		}
	}
	header := false
	for r := 1; r <= rounds; r++ {
		for _, x := range s.order(r - 1) {
			t, w, p := s.trees[x[0]], s.works[x[1]], s.peers[x[2]]
			args := []string{"-test.run", "^$",
				"-test.bench", "^BenchmarkDecode$/^work=" + regexp.QuoteMeta(w) + "$/^peer=" + regexp.QuoteMeta(p) + "$",
				"-test.benchtime", s.benchtime, "-test.count", "1"}
			if s.procs != "" {
				args = append(args, "-test.cpu", s.procs)
			}
			out, err := run(t.bin, args)
			if err != nil {
				return fmt.Errorf("%s %s: %v\n%s", t.bin, strings.Join(args, " "), err, out)
			}
			var res [][]byte
			for _, l := range bytes.Split(out, []byte("\n")) {
				switch {
				case resultLine.Match(l):
					res = append(res, l)
				case !header && configLine.Match(l):
					fmt.Fprintf(stdout, "%s\n", l) // goos, goarch, pkg, cpu: once
				case bytes.HasPrefix(l, []byte("# not timed")) && r == 1:
					fmt.Fprintf(stdout, "%s\n", l)
				}
			}
			if len(res) > 0 {
				header = true
			}
			for _, l := range res {
				fmt.Fprintf(stdout, "tree: %s\nround: %d\n%s\n", t.name, r, l)
			}
		}
	}
	return nil
}
