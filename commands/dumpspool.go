package commands

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"
)

// readDumpInput is readInput for dump. From a pipe (stdin that is not a
// regular file) more than mapMin bytes long, where files can be mapped,
// the input is copied to a temporary file that is then mapped, as a
// named file is: its pages are the kernel's page cache, which the
// process lets go of as the dump moves on (see releaseMapped), rather
// than a buffer of the input's size in the process. The dump needs the
// whole input at hand: a packet message's length is checked against the
// value that follows, references name the marker of what they point to,
// and the JSON document starts with the input's size. The temporary
// file is removed at once (on Unix, while still open), so that nothing
// is left behind whatever happens. Where it cannot be made or written
// (no space in $TMPDIR), the input is read into memory as before.
func readDumpInput(c *cli.Context, name string) ([]byte, string, error) {
	e := envOf(c)
	if name != "" && name != "-" || e.stdinTaken != "" || !mapSupported || e.isTerminal(e.stdin) {
		return readInput(c, name)
	}
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return readInput(c, name) // mapped from where it stands
		}
	}
	e.stdinTaken = "the input"
	head := make([]byte, mapMin)
	n, err := io.ReadFull(e.stdin, head)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return head[:n], "stdin", nil // a small input: held, as before
	case err != nil:
		return nil, "stdin", fmt.Errorf("reading stdin: %w", err)
	}
	data, mapped, err := spoolStdin(head, e.stdin)
	if err != nil {
		return nil, "stdin", err
	}
	if mapped {
		// Only a mapping: releaseMapped's MADV_DONTNEED on memory
		// read from the pipe would zero the input under the dump.
		e.mapInput(data)
	}
	return data, "stdin", nil
}

// errSpool is a failure of the temporary file, not of the input: the
// input is then read into memory.
var errSpool = errors.New("spool")

// spoolStdin copies head and the rest of in to a temporary file and maps
// it; the input is limited to maxInput bytes as readInput limits it.
// mapped is false when the input was read into memory instead.
func spoolStdin(head []byte, in io.Reader) (data []byte, mapped bool, err error) {
	f, err := os.CreateTemp("", "amfcall-dump-*")
	if err != nil {
		data, err := readAtMost(io.MultiReader(bytes.NewReader(head), in), maxInput)
		return data, false, err
	}
	name := f.Name()
	removed := runtime.GOOS != "windows" && os.Remove(name) == nil
	defer func() {
		f.Close()
		if !removed {
			os.Remove(name)
		}
	}()
	return spoolTo(f, head, in)
}

// spoolTo is spoolStdin with the temporary file f made.
func spoolTo(f *os.File, head []byte, in io.Reader) (data []byte, mapped bool, err error) {
	// What the file failed to take is read back from it, and the rest
	// of the input after it, into memory.
	spooled := int64(0)
	fallback := func(held io.Reader) ([]byte, bool, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, false, fmt.Errorf("reading back the temporary copy of stdin: %w", err)
		}
		data, err := readAtMost(io.MultiReader(io.LimitReader(f, spooled), held, in), maxInput)
		return data, false, err
	}
	k, err := f.Write(head)
	spooled += int64(k)
	if err != nil {
		return fallback(bytes.NewReader(head[k:]))
	}
	sw := &spoolWriter{f: f}
	_, err = io.Copy(sw, io.LimitReader(in, maxInput+1-spooled))
	spooled += sw.n
	switch {
	case errors.Is(err, errSpool):
		return fallback(bytes.NewReader(sw.left))
	case err != nil:
		return nil, false, fmt.Errorf("reading stdin: %w", err)
	case spooled > maxInput:
		return nil, false, withCode(exitInput, fmt.Errorf("input is larger than %d bytes", int64(maxInput)))
	}
	data, ok := mapFile(f, spooled)
	if !ok {
		return fallback(bytes.NewReader(nil))
	}
	return data, true, nil
}

// spoolWriter writes to the temporary file; on a failure it keeps the
// bytes the file did not take (left) and fails with errSpool.
type spoolWriter struct {
	f    *os.File
	n    int64 // bytes the file took
	left []byte
}

func (w *spoolWriter) Write(p []byte) (int, error) {
	k, err := w.f.Write(p)
	w.n += int64(k)
	if err != nil {
		w.left = append([]byte(nil), p[k:]...)
		return len(p), errSpool // all of p is accounted for
	}
	return k, nil
}

// dumpReleaseEvery is how often dump gives back the pages of its mapped
// input (a variable for tests, which make it short).
var dumpReleaseEvery = 50 * time.Millisecond

// releaseMapped gives back, every interval until stop is called, the
// pages of the mapped inputs: the dump reads its input front to back,
// and a page it needs again (a reference's target, a string in the
// table) comes back from the page cache. The input is mapped
// copy-on-write but never written by dump (only a JSON input's byte
// order mark is, and dump refuses JSON before reading it).
func (e *runEnv) releaseMapped(interval time.Duration) (stop func()) {
	if len(e.mapped) == 0 || !mapSupported {
		return func() {}
	}
	mapped := append([][]byte(nil), e.mapped...)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range mapped {
					dropPages(m)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
