package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSocketToFileOnePass: convert --to socket -o FILE of JSON lines past
// the 4 MiB the converter holds (converted in one pass there, as the
// file replaces its target only on success) writes the bytes written to
// stdout (converted twice there, to write nothing on an error); with a
// line that does not convert at the end, both give the same error and
// exit status, stdout gets nothing and FILE keeps what it held.
func TestSocketToFileOnePass(t *testing.T) {
	dir := t.TempDir()
	line := `{"text": "` + strings.Repeat("lorem ipsum ", 20000) + `", "n": 1}` + "\n"
	good := strings.Repeat(line, 25) // 6 MB
	for name, in := range map[string]string{"good": good, "bad": good + `{"$ref": 0}` + "\n"} {
		path := filepath.Join(dir, name+".jsonl")
		if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, name+".frames")
		if err := os.WriteFile(out, []byte("before"), 0o644); err != nil {
			t.Fatal(err)
		}
		so, se, sc := run(t, []string{"convert", "--to", "socket", "-o", "-", path}, "", nil, false)
		fo, fe, fc := run(t, []string{"convert", "--to", "socket", "-o", out, path}, "", nil, false)
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if fo != "" || fe != se || fc != sc {
			t.Errorf("%s: -o FILE gives %d %q, stdout %d %q", name, fc, fe, sc, se)
		}
		switch {
		case name == "good" && (sc != 0 || string(got) != so || len(so) < 4<<20):
			t.Errorf("good: exit %d, %d bytes in the file, %d on stdout", sc, len(got), len(so))
		case name == "bad" && (sc != 4 || so != "" || string(got) != "before"):
			t.Errorf("bad: exit %d, %d bytes on stdout, file %.20q", sc, len(so), got)
		}
	}
}
