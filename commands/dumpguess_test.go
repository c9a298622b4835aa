package commands

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDumpGuessSame: dump's own guess of a .sol file or a packet (which
// builds no value) gives the dump, the error and the exit status that
// convert.Load's guess gave, on every file under testdata and the shared
// vectors and captures, whole and cut short, text and JSON.
func TestDumpGuessSame(t *testing.T) {
	var paths []string
	for _, root := range []string{"../testdata", "../../shared/vectors", "../../shared/captures"} {
		i := 0
		filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if i++; (i-1)%testStride != 0 {
					return nil // a sample under Wine (teststride_test.go)
				}
				if st, err := e.Info(); err == nil && st.Size() < 64<<10 {
					paths = append(paths, path)
				}
			}
			return nil
		})
	}
	dir := t.TempDir()
	n := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil || len(data) < 6 || !(data[0] == 0 && (data[1] <= 1 || data[1] == 3 || data[1] == 0xbf)) {
			continue
		}
		n++
		cut := filepath.Join(dir, "cut")
		if err := os.WriteFile(cut, data[:len(data)*2/3], 0o644); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, cut} {
			for _, args := range [][]string{nil, {"--format", "json"}} {
				a := append([]string{"dump", p}, args...)
				dumpGuessKind = false
				wo, we, wc := run(t, a, "", nil, false)
				dumpGuessKind = true
				o, e, c := run(t, a, "", nil, false)
				if o != wo || e != we || c != wc {
					t.Errorf("%s %q: exit %d %q (%d bytes), with Load's guess %d %q (%d bytes)", p, args, c, e, len(o), wc, we, len(wo))
				}
			}
		}
	}
	if n < 50/testStride {
		t.Fatalf("only %d packets and .sol files", n)
	}
	t.Logf("%d packets and .sol files", n)
}
