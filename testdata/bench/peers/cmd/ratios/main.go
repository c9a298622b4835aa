// Command ratios reads BenchmarkDecode output (several runs in one file)
// and prints, per workload, each amfcall path's speed against the fastest
// other peer that was timed on it: the median of that peer's per-op time
// divided by the median of amfcall's (above 1 is amfcall faster). It reads
// the metric named by -unit (cpu-ns/op by default; ns/op for wall time).
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

// report reads benchmark output from r and writes the table to w.
func report(w io.Writer, r io.Reader, unit string) error {
	times := map[string]map[string][]float64{} // work -> peer -> samples
	var works []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
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
			if times[m[1]] == nil {
				times[m[1]] = map[string][]float64{}
				works = append(works, m[1])
			}
			times[m[1]][m[2]] = append(times[m[1]][m[2]], v)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(works) == 0 {
		return fmt.Errorf("no BenchmarkDecode result with %s", unit)
	}
	fmt.Fprintf(w, "%-8s %-14s %-14s %-22s %s\n", "work", "amfcall", "amfcall-json", "fastest peer", "n")
	for _, work := range works {
		peers := times[work]
		best, bestT := "", 0.0
		for p, s := range peers {
			if strings.HasPrefix(p, "amfcall") || strings.HasSuffix(p, "-wrong") {
				continue
			}
			if t := median(s); best == "" || t < bestT || t == bestT && p < best {
				best, bestT = p, t
			}
		}
		col := func(p string) string {
			s, ok := peers[p]
			if !ok || best == "" {
				return "-"
			}
			return fmt.Sprintf("%.2fx", bestT/median(s))
		}
		fastest := "-"
		if best != "" {
			fastest = best + " " + fmtNs(bestT)
		}
		fmt.Fprintf(w, "%-8s %-14s %-14s %-22s %d\n", work, col("amfcall"), col("amfcall-json"), fastest, len(peers["amfcall"]))
	}
	return nil
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
