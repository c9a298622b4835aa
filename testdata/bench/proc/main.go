// Command proc measures whole "amfcall convert" processes against the
// encoding/json program (testdata/bench/stdjson) on the W1 x 100 input:
// CPU time (user + system) and wall time of each process, from wait4's
// rusage, and its maximum resident set size. The programs run
// interleaved, N rounds, the order rotating each round; each round's
// ratio is the reference's time over amfcall's, so that a slow moment of
// the shared machine falls on both sides of it. See README.md.
//
//	go run ./testdata/bench/proc [-rounds 11] [-before OLD] [-cases a,b] [-env K=V]
package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
	"github.com/amfcall/amfcall/convert"
)

// A case is one amfcall command line on one input. Args may hold the
// placeholders AMF3 and JSON for the input files; Stdin names the input
// fed on stdin ("" for none).
type testCase struct {
	name  string
	args  []string
	stdin string
	// want is the file whose bytes the output must equal ("" for no
	// check beyond success).
	want string
	// redirect gives stdin as the file itself ("< FILE"), not a pipe.
	redirect bool
}

var allCases = []testCase{
	{"amf3-file", []string{"convert", "AMF3"}, "", "JSON", false},
	{"amf3-stdin", []string{"convert"}, "AMF3", "JSON", false},
	{"amf3-from", []string{"convert", "--from", "amf3"}, "AMF3", "JSON", false},
	{"amf3-redirect", []string{"convert"}, "AMF3", "JSON", true},
	{"json-amf3", []string{"convert", "JSON", "--to", "amf3"}, "", "", false},
	{"typed", []string{"convert", "--typed", "AMF3"}, "", "", false},
	// Typed JSON back to AMF (issue 7): the AMF3 must be the bytes it
	// came from.
	{"typed-amf3", []string{"convert", "TYPED", "--to", "amf3"}, "", "AMF3", false},
	{"typed-amf0", []string{"convert", "TYPED", "--to", "amf0"}, "", "", false},
}

type sample struct {
	wall, cpu time.Duration
	rssKB     int64
}

type tool struct {
	name     string
	argv     []string
	stdin    string
	redirect bool
	env      []string
	runs     []sample
}

func main() {
	rounds := flag.Int("rounds", 11, "rounds; each runs every program once")
	bin := flag.String("amfcall", "", "amfcall binary to measure (default: built from this repository)")
	before := flag.String("before", "", "an older amfcall binary to measure in the same rounds")
	ref := flag.String("stdjson", "", "the encoding/json program (default: built from testdata/bench/stdjson)")
	dir := flag.String("dir", "", "where w1x100.amf3 and w1x100.json are, or are written (default: a temporary directory)")
	cases := flag.String("cases", "", "comma-separated cases to run (default all: "+caseNames()+")")
	noRef := flag.Bool("noref", false, "leave out the encoding/json program (no ratios): for quick A/B runs of -before against -amfcall")
	var envs, beforeEnvs multi
	flag.Var(&envs, "env", "`K=V` added to amfcall's environment (repeatable; not to -before's)")
	flag.Var(&beforeEnvs, "before-env", "`K=V` added to -before's environment (repeatable)")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "amfcall-proc-bench-")
	check(err)
	defer os.RemoveAll(tmp)
	if *bin == "" {
		*bin = filepath.Join(tmp, "amfcall")
		build(*bin, ".")
	}
	if *ref == "" {
		*ref = filepath.Join(tmp, "stdjson")
		build(*ref, "./testdata/bench/stdjson")
	}
	if *dir == "" {
		*dir = tmp
	}
	amf3, js, typed := inputs(*dir)

	var selected []testCase
	for _, c := range allCases {
		if *cases == "" || slices.Contains(strings.Split(*cases, ","), c.name) {
			selected = append(selected, c)
		}
	}
	if len(selected) == 0 {
		fail("no case matches -cases %q (cases: %s)", *cases, caseNames())
	}
	subst := func(s string) string {
		switch s {
		case "AMF3":
			return amf3
		case "JSON":
			return js
		case "TYPED":
			return typed
		}
		return s
	}
	reference := &tool{name: "encoding/json", argv: []string{*ref}, stdin: js}
	tools := []*tool{reference}
	byCase := map[*tool]testCase{}
	for _, c := range selected {
		var args []string
		for _, a := range c.args {
			args = append(args, subst(a))
		}
		t := &tool{name: c.name, argv: append([]string{*bin}, args...), stdin: subst(c.stdin), redirect: c.redirect, env: envs}
		tools = append(tools, t)
		byCase[t] = c
		if *before != "" {
			b := &tool{name: c.name + " (before)", argv: append([]string{*before}, args...), stdin: t.stdin, redirect: c.redirect, env: beforeEnvs}
			tools = append(tools, b)
			byCase[b] = c
		}
	}

	// Check each output once, outside the measured runs.
	for _, t := range tools {
		c, ok := byCase[t]
		if !ok {
			continue
		}
		out := runOnce(t, true)
		if c.want != "" {
			want, err := os.ReadFile(subst(c.want))
			check(err)
			if !bytes.Equal(out, want) {
				fail("%s: output (%d bytes, sha256 %x) differs from %s (%d bytes)", t.name, len(out), sha256.Sum256(out), subst(c.want), len(want))
			}
		}
	}

	if *noRef {
		tools = tools[1:]
	}
	fmt.Printf("input %s (%d bytes), %s (%d bytes); %d rounds\n", amf3, size(amf3), js, size(js), *rounds)
	if len(envs) > 0 {
		fmt.Printf("amfcall environment: %s\n", strings.Join(envs, " "))
	}
	if len(beforeEnvs) > 0 {
		fmt.Printf("before's environment: %s\n", strings.Join(beforeEnvs, " "))
	}
	for i := 0; i < *rounds; i++ {
		// Rotate the order so that no program always runs first or
		// right after the reference.
		for k := range tools {
			t := tools[(k+i)%len(tools)]
			runOnce(t, false)
		}
		fmt.Fprintf(os.Stderr, "\rround %d/%d", i+1, *rounds)
	}
	fmt.Fprintln(os.Stderr)

	fmt.Printf("\n%-22s %9s %9s %9s   %-22s %-22s\n", "program", "wall ms", "CPU ms", "maxRSS MB", "speed x (CPU)", "speed x (wall)")
	for _, t := range tools {
		var wall, cpu, rss []float64
		for _, s := range t.runs {
			wall = append(wall, ms(s.wall))
			cpu = append(cpu, ms(s.cpu))
			rss = append(rss, float64(s.rssKB)/1024)
		}
		line := fmt.Sprintf("%-22s %9.1f %9.1f %9.1f", t.name, median(wall), median(cpu), slices.Max(rss))
		if t != reference && !*noRef {
			// Per-round ratios: the reference's time over this one's.
			var rc, rw []float64
			for i, s := range t.runs {
				r := reference.runs[i]
				rc = append(rc, ms(r.cpu)/max(ms(s.cpu), 0.001))
				rw = append(rw, ms(r.wall)/max(ms(s.wall), 0.001))
			}
			line += fmt.Sprintf("   %-22s %-22s", spread(rc), spread(rw))
		}
		fmt.Println(line)
	}
	fmt.Println("\nmaxRSS is the largest of the rounds; speed x is the encoding/json program's time over the program's,\nper round: median (min-max).")
}

// runOnce runs t once; it records the sample, or returns the output when
// keep is set (and records nothing).
func runOnce(t *tool, keep bool) []byte {
	// Through /usr/bin/time: a child that Go starts shares the parent's
	// memory until it calls exec, and Linux then keeps the parent's peak
	// RSS as the child's (ru_maxrss survives exec). time forks a copy of
	// itself, a few hundred KB, so its %M is the command's own peak. CPU
	// and wall come from this process's wait4 on time, which adds time's
	// own share (about a millisecond) to the command's.
	rssFile, err := os.CreateTemp("", "amfcall-proc-rss-")
	check(err)
	rssFile.Close()
	defer os.Remove(rssFile.Name())
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", rssFile.Name(), "--"}, t.argv...)...)
	cmd.Env = append(os.Environ(), t.env...)
	if t.stdin != "" {
		f, err := os.Open(t.stdin)
		check(err)
		defer f.Close()
		// A pipe, as in "cat file | amfcall convert": the command cannot
		// stat a size or map the file. Or the file itself.
		cmd.Stdin = pipeFrom(f)
		if t.redirect {
			cmd.Stdin = f
		}
	}
	var out bytes.Buffer
	var stderr bytes.Buffer
	if keep {
		cmd.Stdout = &out
	} else {
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		check(err)
		defer devnull.Close()
		cmd.Stdout = devnull
	}
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		fail("%s: %v\n%s", strings.Join(t.argv, " "), err, stderr.String())
	}
	if keep {
		return out.Bytes()
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	text, err := os.ReadFile(rssFile.Name())
	check(err)
	kb, err := strconv.ParseInt(strings.TrimSpace(string(text)), 10, 64)
	if err != nil {
		fail("%s: /usr/bin/time wrote %q", t.name, text)
	}
	t.runs = append(t.runs, sample{wall: wall, cpu: cpu, rssKB: kb})
	return nil
}

// pipeFrom returns the read end of a pipe that f's content is copied
// into by this process (exec would copy an io.Reader the same way, but
// an *os.File would be passed as is).
func pipeFrom(f *os.File) io.Reader {
	return struct{ io.Reader }{f}
}

// inputs returns the W1 x 100 files in dir, writing them if missing:
// 100,000 W1 objects in one AMF3 array, the plain JSON amfcall prints
// for them (what testdata/bench/genw1 writes), and their typed JSON.
func inputs(dir string) (string, string, string) {
	amf3, js, typed := filepath.Join(dir, "w1x100.amf3"), filepath.Join(dir, "w1x100.json"), filepath.Join(dir, "w1x100.typed.json")
	_, err1 := os.Stat(amf3)
	_, err2 := os.Stat(js)
	_, err3 := os.Stat(typed)
	if err1 == nil && err2 == nil && err3 == nil {
		return amf3, js, typed
	}
	v := amftest.W1(100 * 1000)
	data, err := amf.Marshal(v, amf.AMF3)
	check(err)
	text, err := convert.AppendValue(nil, v, nil)
	check(err)
	typedText, err := convert.AppendValue(nil, v, &convert.Options{Typed: true})
	check(err)
	check(os.WriteFile(amf3, data, 0o644))
	check(os.WriteFile(js, append(text, '\n'), 0o644))
	check(os.WriteFile(typed, append(typedText, '\n'), 0o644))
	return amf3, js, typed
}

func build(out, pkg string) {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fail("go build %s: %v (run from the repository's root)", pkg, err)
	}
}

func spread(xs []float64) string {
	return fmt.Sprintf("%.2f (%.2f-%.2f)", median(xs), slices.Min(xs), slices.Max(xs))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func size(name string) int64 {
	st, err := os.Stat(name)
	check(err)
	return st.Size()
}

func caseNames() string {
	var s []string
	for _, c := range allCases {
		s = append(s, c.name)
	}
	return strings.Join(s, ",")
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "proc: "+format+"\n", a...)
	os.Exit(1)
}
