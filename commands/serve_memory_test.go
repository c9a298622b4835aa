package commands

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// TestServeMemoryBudget runs "amfcall serve --max-memory 64M" in a child
// process (this test binary, re-executed), makes 8 concurrent echo.echo
// calls of a 12 MB ByteArray each, and checks the child's peak resident
// memory stays under the budget plus 64 MiB. Calls that find no room
// within 5 s get a 503; most are answered.
//
// The peak depends on how soon the collector runs, which other test
// packages running at the same time delay: with three busy loops beside
// it, runs measured 105-106 MB or 131 MB, and once 143.5 MB in a CI run
// (the bound is 134.2 MB). A second run is made when the first is over
// the bound, and the test fails when both are: a serve that overspends
// its budget does so every time.
func TestServeMemoryBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 100 MB")
	}
	if runtime.GOOS != "linux" || raceEnabled {
		t.Skip("reads the child's peak RSS from Linux's /proc; the race detector inflates it")
	}
	const budget = 64 << 20
	var peaks []float64
	for range 2 {
		rss := serveMemoryRun(t)
		peaks = append(peaks, float64(rss)/1e6)
		if rss <= budget+64<<20 {
			return
		}
	}
	t.Fatalf("peak RSS of serve %.1f MB, then %.1f MB: over the budget (%d MB) + 64 MiB both times", peaks[0], peaks[1], budget>>20)
}

// serveMemoryRun is one run of TestServeMemoryBudget: serve's peak RSS.
func serveMemoryRun(t *testing.T) int64 {
	const budget, size, calls = 64 << 20, 12 << 20, 8
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--max-memory", "64M", "--images", t.TempDir())
	cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stderr)
	var url string
	for sc.Scan() {
		if m := regexp.MustCompile(`gateway at (http://\S+/)`).FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		t.Fatal("the child did not say where it listens")
	}
	go func() {
		for sc.Scan() { // drain the log
		}
	}()

	// The calls run in child processes too ("amfcall call"), so that this
	// process stays small: a child started later inherits its peak RSS
	// in rusage (Linux counts the pre-exec memory of a vfork child).
	file := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(file, bytes.Repeat([]byte{0x5a}, size), 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, busy := 0, 0
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := exec.Command(os.Args[0], "call", "--timeout", "60s", "-q", "$bytes.#", url, "echo.echo", "@"+file)
			c.Env = cmd.Env
			out, err := c.CombinedOutput()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case bytes.Contains(out, []byte("HTTP 503 Service Unavailable")):
				busy++
			default:
				t.Errorf("call: %v\n%s", err, out)
			}
		}()
	}
	wg.Wait()
	hwm := peakRSS(t, cmd.Process.Pid)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	rss := hwm
	t.Logf("%d calls of %d MB: %d answered, %d refused with 503; peak RSS of serve %.1f MB (budget %d MB)",
		calls, size>>20, ok, busy, float64(rss)/1e6, budget>>20)
	if ok == 0 {
		t.Fatal("no call was answered")
	}
	return rss
}

// peakRSS reads a process's peak resident size (VmHWM) from /proc.
func peakRSS(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no VmHWM in /proc/%d/status", pid)
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n << 10
}
