// Command proc times whole processes side by side: it runs each command
// given with -run once per round, in turn, for -rounds rounds, and prints
// for each the median wall time, the median CPU time (user + system), the
// median and largest peak resident set size (the child's rusage maxrss), the
// ratios of the baseline's median wall and CPU times to its own (above 1
// is faster than the baseline). On a shared machine the CPU ratio is the
// steadier one: wall time also counts waiting for a core.
//
// A command is "name|stdin|expect|program arg...": stdin is the file fed
// to it, expect (may be empty) a file its stdout must equal byte for
// byte, else the run fails. Stdout goes to a file in a temporary folder.
//
//	proc -rounds 9 -baseline stdjson \
//	    -run 'stdjson|w1x100.json||./stdjson' \
//	    -run 'amfcall|w1x100.amf3|w1x100.json|./amfcall convert'
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type command struct {
	name, stdin, expect string
	argv                []string
	wall, cpu           []time.Duration
	rss                 []int64 // KiB
}

type runs []*command

func (r *runs) String() string { return "" }

func (r *runs) Set(s string) error {
	f := strings.SplitN(s, "|", 4)
	if len(f) != 4 || f[0] == "" || f[1] == "" || len(strings.Fields(f[3])) == 0 {
		return fmt.Errorf("want name|stdin|expect|program arg..., got %q", s)
	}
	*r = append(*r, &command{name: f[0], stdin: f[1], expect: f[2], argv: strings.Fields(f[3])})
	return nil
}

func main() {
	var cmds runs
	rounds := flag.Int("rounds", 7, "rounds; each runs every command once")
	baseline := flag.String("baseline", "", "name of the command the ratios are against (default: the first)")
	timeout := flag.Duration("timeout", 2*time.Minute, "longest one run may take")
	flag.Var(&cmds, "run", "a command: name|stdin|expect|program arg... (repeat)")
	flag.Parse()
	if len(cmds) == 0 || *rounds < 1 {
		flag.Usage()
		os.Exit(2)
	}
	tmp, err := os.MkdirTemp("", "proc")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	for round := 0; round < *rounds; round++ {
		for _, c := range cmds {
			if err := c.run(filepath.Join(tmp, c.name+".out"), *timeout); err != nil {
				os.RemoveAll(tmp)
				fail(fmt.Errorf("%s: %w", c.name, err))
			}
		}
	}
	base := cmds[0]
	for _, c := range cmds {
		if c.name == *baseline {
			base = c
		}
	}
	fmt.Printf("%-12s %9s %9s %20s   %s\n", "command", "wall", "cpu", "peak RSS (med, max)", "speed vs "+base.name+" (wall, cpu)")
	for _, c := range cmds {
		fmt.Printf("%-12s %9s %9s %8.1f, %5.1f MB   %.2fx, %.2fx\n", c.name,
			median(c.wall).Round(time.Millisecond), median(c.cpu).Round(time.Millisecond),
			float64(median(c.rss))*1024/1e6, float64(slices.Max(c.rss))*1024/1e6,
			float64(median(base.wall))/float64(median(c.wall)),
			float64(median(base.cpu))/float64(median(c.cpu)))
	}
	var self syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	fmt.Printf("(%d rounds; medians of wall and cpu; peak RSS: median and largest;\n", *rounds)
	fmt.Printf(" no figure is below proc's own peak RSS, %.1f MB: see sameFiles)\n", float64(self.Maxrss)*1024/1e6)
}

func (c *command) run(outName string, timeout time.Duration) error {
	in, err := os.Open(c.stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(outName)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, out, os.Stderr
	cmd.WaitDelay = time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	timer := time.AfterFunc(timeout, func() { cmd.Process.Kill() })
	err = cmd.Wait()
	wall := time.Since(start)
	timer.Stop()
	if err != nil {
		return err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	c.wall = append(c.wall, wall)
	c.cpu = append(c.cpu, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	c.rss = append(c.rss, ru.Maxrss)
	if c.expect != "" {
		if err := sameFiles(outName, c.expect); err != nil {
			return fmt.Errorf("stdout: %w", err)
		}
	}
	return nil
}

// sameFiles compares two files in small pieces. The parent stays small on
// purpose: Go starts a child with vfork semantics (the child shares the
// parent's memory until exec), and Linux then counts the parent's peak
// RSS in the child's maxrss. A parent that read an 18 MB file whole would
// show up as an 18 MB floor under every child's figure.
func sameFiles(a, b string) error {
	fa, err := os.Open(a)
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return err
	}
	defer fb.Close()
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	for off := int64(0); ; {
		na, ea := io.ReadFull(fa, ba)
		nb, eb := io.ReadFull(fb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return fmt.Errorf("differs from %s within bytes %d-%d", b, off, off+int64(max(na, nb)))
		}
		off += int64(na)
		if ea != nil || eb != nil {
			if (ea == io.EOF || ea == io.ErrUnexpectedEOF) && (eb == io.EOF || eb == io.ErrUnexpectedEOF) {
				return nil
			}
			return errors.Join(ea, eb)
		}
	}
}

func median[T time.Duration | int64](d []T) T {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "proc:", err)
	os.Exit(1)
}
