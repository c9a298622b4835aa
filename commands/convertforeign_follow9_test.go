package commands

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestConvertForeignHintQuoted: convert's hint for a gzip-compressed
// file gave its name as it is ("gzip -dc my reply's.amf | amfcall
// convert"), which a shell reads as other words or an open quote, where
// dump's quotes it. convert's now quotes it as dump's does: the hint's
// command, read as a shell reads it, names the file.
func TestConvertForeignHintQuoted(t *testing.T) {
	dir := t.TempDir()
	names := []string{"my reply's.amf", "a $b c.amf", "plain.amf"}
	if runtime.GOOS != "windows" {
		names = append(names, `a "b" c.amf`) // Windows refuses " in a name
	}
	for _, base := range names {
		path := filepath.Join(dir, base)
		if err := os.WriteFile(path, gzipOf([]byte{0x06, 0x05, 'h', 'i'}), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"convert", "dump"} {
			_, stderr, code := run(t, []string{cmd, path}, "", nil, false)
			_, hint, ok := strings.Cut(stderr, "decompress it first: ")
			if code != 4 || !ok {
				t.Fatalf("%s %q: exit %d, stderr %q; want exit 4 and the gzip hint", cmd, base, code, stderr)
			}
			line, _, _ := strings.Cut(hint, " (curl:")
			if windowsShell {
				// Quoted for cmd.exe and PowerShell (TestShellWordWindows).
				if want := "gzip -dc " + shellWord(path) + " | amfcall " + cmd; line != want {
					t.Errorf("%s %q: the hint's command is %q, want %q", cmd, base, line, want)
				}
				continue
			}
			words := posixWords(t, line)
			want := []string{"gzip", "-dc", path, "|", "amfcall", cmd}
			if strings.Join(words, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("%s %q: the hint's command %q reads as %q, want %q", cmd, base, line, words, want)
			}
		}
	}
}

// gzipOf is b gzip-compressed.
func gzipOf(b []byte) []byte {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(b)
	zw.Close()
	return gz.Bytes()
}

// posixWords splits line into words as a POSIX shell reads them: single
// quotes keep all, double quotes all but \ before " \ $ `, a backslash
// outside quotes keeps the next character.
func posixWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	in := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				t.Fatalf("unclosed quote in %q", line)
			}
			w.WriteString(line[i+1 : i+1+j])
			i += 1 + j
			in = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0 {
					i++
				}
				w.WriteByte(line[i])
			}
			if i == len(line) {
				t.Fatalf("unclosed quote in %q", line)
			}
			in = true
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			in = true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}
