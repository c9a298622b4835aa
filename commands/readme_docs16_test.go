package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// readmeSection returns the README's section whose heading starts with
// heading ("### convert:"), up to the next "### " heading.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n"+heading)
	if !ok {
		t.Fatalf("no %q section in the README", heading)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	return section
}

// readmeBlock returns the first code block of section.
func readmeBlock(t *testing.T, section string) string {
	t.Helper()
	_, block, ok := strings.Cut(section, "```\n")
	if !ok {
		t.Fatal("no code block in the README section")
	}
	block, _, _ = strings.Cut(block, "```")
	return block
}

// TestReadmeConvertExamples_docs16 runs the README's convert block as
// written, line by line (files it names in the repository's testdata/,
// the ones it writes in a temporary folder), and checks what its comments
// say: the typed round trip gives the same bytes back, the AMF0 string is
// "hello", the FLV and .sol JSON start as shown, and the first line warns
// of two values that contain themselves.
func TestReadmeConvertExamples_docs16(t *testing.T) {
	t.Parallel()
	section := readmeSection(t, "### convert:")
	block := readmeBlock(t, section)
	if !strings.Contains(section, "the first warns of two values that contain themselves") {
		t.Error("the README's convert section no longer says what its first example warns of")
	}
	dir := t.TempDir()
	path := func(w string) string {
		if strings.HasPrefix(w, "testdata/") {
			return filepath.Join("..", w)
		}
		if !strings.HasPrefix(w, "-") && strings.Contains(w, ".") && !strings.ContainsAny(w, `"{[:`) {
			return filepath.Join(dir, w)
		}
		return w
	}
	ran := 0
	for i, line := range strings.Split(strings.TrimSpace(block), "\n") {
		line, comment, _ := strings.Cut(line, "  #")
		comment = strings.TrimSpace(comment)
		var stdin string
		if rest, ok := strings.CutPrefix(line, "printf "); ok {
			w := shellWords(t, rest)
			if len(w) != 3 || w[1] != ">" {
				t.Fatalf("README line %d: unexpected printf form %q", i+1, line)
			}
			b, err := strconv.Unquote(`"` + w[0] + `"`)
			if err != nil {
				t.Fatalf("README line %d: %v", i+1, err)
			}
			if err := os.WriteFile(path(w[2]), []byte(b), 0o600); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "echo "); ok {
			in, cmd, ok := strings.Cut(rest, " | ")
			if !ok {
				t.Fatalf("README line %d: unexpected echo form %q", i+1, line)
			}
			stdin = shellWords(t, in)[0] + "\n"
			line = cmd
		}
		w := shellWords(t, line)
		if len(w) < 2 || w[0] != "amfcall" {
			t.Fatalf("README line %d: not an amfcall command: %q", i+1, line)
		}
		var args []string
		redirect := ""
		for j := 1; j < len(w); j++ {
			if w[j] == ">" && j+1 < len(w) {
				redirect = path(w[j+1])
				j++
				continue
			}
			args = append(args, path(w[j]))
		}
		stdout, stderr, code := run(t, args, stdin, nil, false)
		ran++
		if code != 0 {
			t.Errorf("README line %d, amfcall %q: exit %d\n%s", i+1, args, code, stderr)
			continue
		}
		if redirect != "" {
			if err := os.WriteFile(redirect, []byte(stdout), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		switch {
		case i == 0:
			if n := strings.Count(stderr, "contains itself"); n != 2 {
				t.Errorf("README line 1: %d warnings of a value that contains itself, the README says two:\n%s", n, stderr)
			}
		case strings.HasPrefix(comment, `"`):
			if strings.TrimSpace(stdout) != comment {
				t.Errorf("README line %d: stdout %q, the README says %s", i+1, stdout, comment)
			}
		case strings.HasPrefix(comment, "{"):
			// The comment shows the JSON's start, spaced, with "..." for
			// the rest: each piece between the "..." must be in the output.
			for _, piece := range strings.Split(comment, "...") {
				piece = strings.NewReplacer(`": `, `":`, ", ", ",").Replace(strings.Trim(piece, ", "))
				piece = strings.Trim(piece, "{}[], ")
				if piece != "" && !strings.Contains(stdout, piece) {
					t.Errorf("README line %d: the output lacks %q (the README shows %s):\n%.300s", i+1, piece, comment, stdout)
				}
			}
		case strings.Contains(comment, "byte for byte") || comment == "and back":
			// -o FILE: the file converted back must be the original.
			out := args[len(args)-1]
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			orig := map[string]string{
				"reply.amf":    "../testdata/pyamf/captures/default-echo_amf3_rich.response.amf",
				"settings.sol": "../testdata/sol/shared.sol",
			}[filepath.Base(out)]
			want, err := os.ReadFile(orig)
			if err != nil {
				t.Fatalf("README line %d: no original for %s: %v", i+1, out, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("README line %d: %s is not %s byte for byte", i+1, out, orig)
			}
		}
	}
	if ran < 7 {
		t.Errorf("ran %d amfcall commands of the README's convert block, want at least 7:\n%s", ran, block)
	}
}

// TestReadmeDumpTranscript_docs16: the README's dump section shows two
// commands with what they print; run as written they print exactly that
// (stdout, then the amfcall: lines on stderr), the good packet with exit 0
// and the cut one with exit 4, as the section says.
func TestReadmeDumpTranscript_docs16(t *testing.T) {
	t.Parallel()
	block := readmeBlock(t, readmeSection(t, "### dump:"))
	type step struct {
		cmd            string
		stdout, stderr strings.Builder
	}
	var steps []*step
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, &step{cmd: cmd})
			continue
		}
		if len(steps) == 0 {
			t.Fatalf("output before the first command: %q", line)
		}
		s := steps[len(steps)-1]
		if strings.HasPrefix(line, "amfcall: ") {
			s.stderr.WriteString(line + "\n")
		} else {
			s.stdout.WriteString(line + "\n")
		}
	}
	if len(steps) != 2 {
		t.Fatalf("%d commands in the README's dump transcript, want 2", len(steps))
	}
	for i, s := range steps {
		line, stdin := s.cmd, ""
		if rest, ok := strings.CutPrefix(line, "echo "); ok {
			in, cmd, _ := strings.Cut(rest, " | ")
			stdin, line = in+"\n", cmd
		}
		var args []string
		for _, w := range shellWords(t, line)[1:] {
			if strings.HasPrefix(w, "testdata/") {
				w = filepath.Join("..", w)
			}
			args = append(args, w)
		}
		stdout, stderr, code := run(t, args, stdin, nil, false)
		want := []int{0, exitInput}[i]
		if code != want || stdout != s.stdout.String() || osText(stderr) != s.stderr.String() {
			t.Errorf("$ %s\ngot exit %d, stdout:\n%s\nstderr:\n%s\nthe README shows (exit %d):\n%s%s",
				s.cmd, code, stdout, stderr, want, s.stdout.String(), s.stderr.String())
		}
	}
}

// TestRootHelpNamesEnvironment_docs16: cli.md promises AMFCALL_URL and the
// proxy variables, and the README AMFCALL_PASSWORD; "amfcall --help" named
// only NO_COLOR, so a user reading it could not learn that list, probe or
// subscribe take their URL from AMFCALL_URL.
func TestRootHelpNamesEnvironment_docs16(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, []string{"--help"}, "", nil, false)
	if code != 0 {
		t.Fatalf("amfcall --help: exit %d\n%s", code, stderr)
	}
	flat := strings.Join(strings.Fields(stdout), " ")
	for _, want := range []string{"AMFCALL_URL", "AMFCALL_PASSWORD", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "NO_COLOR", "list, describe, probe, logout, publish, subscribe"} {
		if !strings.Contains(flat, want) {
			t.Errorf("amfcall --help does not name %s:\n%s", want, stdout)
		}
	}
}

// TestReadmeServeNamesItsServices_docs16: the README's serve line says
// what the gateway answers; every name "amfcall list" finds on it is
// there (logout was missing).
func TestReadmeServeNamesItsServices_docs16(t *testing.T) {
	t.Parallel()
	block := readmeBlock(t, readmeSection(t, "### serve:"))
	_, comment, ok := strings.Cut(block, "# ")
	if !ok {
		t.Fatalf("the README's serve line has no comment:\n%s", block)
	}
	named := map[string]bool{}
	for _, w := range strings.Split(comment, ",") {
		w = strings.TrimSpace(w)
		if _, after, ok := strings.Cut(w, "/: "); ok {
			w = after
		}
		named[w] = true
		if svc, _, ok := strings.Cut(w, "."); ok {
			named[svc] = true
		}
	}
	_, u := startGateway(t, gateway.Options{})
	stdout, stderr, code := run(t, []string{"list", u}, "", nil, false)
	if code != 0 {
		t.Fatalf("amfcall list: exit %d\n%s", code, stderr)
	}
	for _, name := range strings.Fields(stdout) {
		if !named[name] {
			t.Errorf("amfcall serve offers %s, which the README's serve line does not name: %s", name, strings.TrimSpace(comment))
		}
	}
}
