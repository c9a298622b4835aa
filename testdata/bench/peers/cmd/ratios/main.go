// Command ratios reads BenchmarkDecode output (several runs in one file)
// and prints, per workload, each amfcall path's speed against the fastest
// other peer that was timed on it (the one of lowest median time): that
// peer's time over amfcall's in each round (sweep), and of those ratios
// the median, lowest and highest (above 1 is amfcall faster). Rounds are
// told by `round: N` lines (cmd/sweep writes them), or else by the order
// of the results: the k-th result of each peer belongs to round k, as
// with whole sweeps appended one after another. With `tree: NAME` lines
// it prints one table per tree. It reads the metric named by -unit
// (cpu-ns/op by default; ns/op for wall time).
//
//	go run ./cmd/ratios peers.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var line = regexp.MustCompile(`^BenchmarkDecode/work=(\S+?)/peer=(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	unit := flag.String("unit", "cpu-ns/op", "metric to compare (cpu-ns/op or ns/op)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: ratios [-unit U] FILE")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if err := report(os.Stdout, f, *unit); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// A sample is one result: its round (from a `round: N` line before it,
// or else its place among the results of the same workload and peer) and
// its value.
type sample struct {
	round int
	v     float64
}

// report reads benchmark output from r and writes the tables to w: one
// per tree (`tree: NAME` lines, as cmd/sweep writes; one table if
// there are none).
func report(w io.Writer, r io.Reader, unit string) error {
	type key struct{ tree, work, peer string }
	times := map[key][]sample{}
	var trees []string
	works := map[string][]string{} // tree -> workloads, in order
	seen := map[string]bool{}
	tree, round := "", 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := sc.Text()
		if v, ok := strings.CutPrefix(l, "tree: "); ok {
			tree = strings.TrimSpace(v)
			continue
		}
		if v, ok := strings.CutPrefix(l, "round: "); ok {
			round, _ = strconv.Atoi(strings.TrimSpace(v))
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		fs := strings.Fields(m[3])
		for i := 1; i < len(fs); i++ {
			if fs[i] != unit {
				continue
			}
			v, err := strconv.ParseFloat(fs[i-1], 64)
			if err != nil {
				continue
			}
			k := key{tree, m[1], m[2]}
			rd := round
			if rd == 0 {
				rd = len(times[k]) + 1
			}
			if !seen[tree] {
				seen[tree] = true
				trees = append(trees, tree)
			}
			if !seen[tree+"\x00"+m[1]] {
				seen[tree+"\x00"+m[1]] = true
				works[tree] = append(works[tree], m[1])
			}
			times[k] = append(times[k], sample{rd, v})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(trees) == 0 {
		return fmt.Errorf("no BenchmarkDecode result with %s", unit)
	}
	for ti, tree := range trees {
		if ti > 0 {
			fmt.Fprintln(w)
		}
		if tree != "" {
			fmt.Fprintf(w, "tree: %s\n", tree)
		}
		fmt.Fprintf(w, "%-8s %-22s %-22s %-22s %s\n", "work", "amfcall", "amfcall-json", "fastest peer", "n")
		for _, work := range works[tree] {
			best, bestT := "", 0.0
			for k, s := range times {
				p := k.peer
				if k.tree != tree || k.work != work || strings.HasPrefix(p, "amfcall") || strings.HasSuffix(p, "-wrong") {
					continue
				}
				if t := median(values(s)); best == "" || t < bestT || t == bestT && p < best {
					best, bestT = p, t
				}
			}
			col := func(p string) string {
				s, ok := times[key{tree, work, p}]
				if !ok || best == "" {
					return "-"
				}
				rs := paired(times[key{tree, work, best}], s)
				if len(rs) == 0 {
					return "-"
				}
				return fmt.Sprintf("%.2fx [%.2f-%.2f]", median(rs), slices.Min(rs), slices.Max(rs))
			}
			fastest := "-"
			if best != "" {
				fastest = best + " " + fmtNs(bestT)
			}
			fmt.Fprintf(w, "%-8s %-22s %-22s %-22s %d\n", work, col("amfcall"), col("amfcall-json"), fastest, len(times[key{tree, work, "amfcall"}]))
		}
	}
	fmt.Fprintf(w, "(%s: the median over rounds of the fastest peer's time over amfcall's in the same round, [lowest-highest]; above 1 amfcall is faster)\n", unit)
	return nil
}

// paired is the ratios peer/ours of the rounds that have both (the mean
// of a round's results where it has several).
func paired(peer, ours []sample) []float64 {
	mean := func(s []sample) map[int]float64 {
		sum, n := map[int]float64{}, map[int]int{}
		for _, x := range s {
			sum[x.round] += x.v
			n[x.round]++
		}
		for r := range sum {
			sum[r] /= float64(n[r])
		}
		return sum
	}
	p, o := mean(peer), mean(ours)
	var out []float64
	for r, v := range o {
		if pv, ok := p[r]; ok && v > 0 {
			out = append(out, pv/v)
		}
	}
	return out
}

func values(s []sample) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = x.v
	}
	return out
}

func median(s []float64) float64 {
	c := slices.Clone(s)
	slices.Sort(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}
