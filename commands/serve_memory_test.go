package commands

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// TestServeMemoryBudget runs "amfcall serve --max-memory 64M" in a child
// process (this test binary, re-executed), makes 8 concurrent echo.echo
// calls of a 12 MB ByteArray each, and checks the child's peak resident
// memory stays under the budget plus 64 MiB. Calls that find no room
// within 5 s get a 503; most are answered.
func TestServeMemoryBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 100 MB")
	}
	if runtime.GOOS != "linux" || raceEnabled {
		t.Skip("reads the child's peak RSS from Linux rusage; the race detector inflates it")
	}
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

	data := bytes.Repeat([]byte{0x5a}, size)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, busy := 0, 0
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl, err := client.New(url, client.Config{Timeout: time.Minute})
			if err != nil {
				t.Error(err)
				return
			}
			v, err := cl.Call(context.Background(), "echo.echo", []any{&amf.ByteArray{Data: data}})
			var he *client.HTTPError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				if b, _ := v.(*amf.ByteArray); b == nil || !bytes.Equal(b.Data, data) {
					t.Errorf("echo returned %T", v)
				}
				ok++
			case errors.As(err, &he) && he.Status == "503 Service Unavailable":
				busy++
			default:
				t.Errorf("call: %v", err)
			}
		}()
	}
	wg.Wait()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	t.Logf("%d calls of %d MB: %d answered, %d refused with 503; peak RSS of serve %.1f MB (budget %d MB)",
		calls, size>>20, ok, busy, float64(rss)/1e6, budget>>20)
	if ok == 0 {
		t.Fatal("no call was answered")
	}
	if rss > budget+64<<20 {
		t.Fatalf("peak RSS %d bytes, over the budget + 64 MiB", rss)
	}
}
