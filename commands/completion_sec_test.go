package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Names from a hostile gateway's listing reached bash's command line as
// they were (svc.$(touch PWNED), run when the line is), and a method
// named * was expanded to the files of the folder (review F-L). The bash
// script now reads one candidate a line with no expansion and drops those
// holding a blank or a shell metacharacter.
func TestBashCompletionDropsShellMetacharacters(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no bash")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, _, code := run(t, []string{"completion", "bash"}, "", nil, false)
	if code != 0 {
		t.Fatal("completion bash failed")
	}
	dir := t.TempDir()
	// A stand-in for amfcall that prints the candidates of a hostile
	// listing, and files that svc.* would match.
	cands := []string{"svc.ok", "svc.$(touch PWNED)", "svc.`touch PWNED`", "svc.*", "svc.a b", "svc.x;y", "svc.q'", "svc.é-ü_1"}
	fake := "#!/bin/sh\ncat <<'EOF'\n" + strings.Join(cands, "\n") + "\nEOF\n"
	for name, body := range map[string]string{"amfcall": fake, "svc.x": "", "svc.yy": "", "script.bash": script} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bash, "-c", `source ./script.bash
COMP_LINE="amfcall call http://127.0.0.1:1/ svc"; COMP_POINT=${#COMP_LINE}; _amfcall
printf "[%s]\n" "${COMPREPLY[@]}"`)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if got, want := string(out), "[svc.ok]\n[svc.é-ü_1]\n"; err != nil || got != want {
		t.Errorf("COMPREPLY:\n%s(%v)\nwant\n%s", got, err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a candidate ran a command")
	}
}

// hostileListing runs a gateway on 127.0.0.1 whose listing holds method
// names with shell metacharacters (some would create pwned1..pwned6 if
// run), and lists it with bin's amfcall so that its names are cached for
// completion; cache is the environment setting of that cache's folder.
func hostileListing(t *testing.T, bin, files string) (url, cache, pwned string) {
	t.Helper()
	pwned = filepath.Join(t.TempDir(), "pwned")
	methods := []string{"ok", "okTwo", "é-ü_1", "$(touch " + pwned + "1)", "`touch " + pwned + "2`", "x;touch " + pwned + "3",
		"p|touch " + pwned + "4", "gt>" + pwned + "5", "a b", "glob*", "q?", "[ab]", "amp&", "sq'x", `dq"x`, `bs\x`,
		"br{a,b}", "~root", "h#x", "ex!x", "${HOME}", "c^x", "nl\ntouch " + pwned + "6", "tab\tx"}
	url, _ = snapshotGateway(t, func(string) any {
		return []any{&amf.Object{Members: []amf.Member{{Name: "name", Value: "svc"}, {Name: "methods", Value: names(methods...)}}}}
	}, nil)
	cache = "XDG_CACHE_HOME=" + t.TempDir()
	list := exec.Command(filepath.Join(bin, "amfcall"), "list", url)
	list.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files, cache)
	if out, err := list.CombinedOutput(); err != nil || string(out) != "svc\n" {
		t.Fatalf("amfcall list: %v\n%s", err, out)
	}
	return url, cache, pwned
}

// ranNone fails t if a name of hostileListing ran.
func ranNone(t *testing.T, pwned string) {
	t.Helper()
	for i := 1; i <= 6; i++ {
		if _, err := os.Stat(pwned + strconv.Itoa(i)); err == nil {
			t.Errorf("a method name ran a command (%s%d)", pwned, i)
		}
	}
}

// The fish script offered every name of a hostile listing (fish escapes
// what it inserts: nothing ran); now, as the other shells' scripts, it
// drops those holding a blank or a shell metacharacter.
func TestFishCompletionHostileNames(t *testing.T) {
	t.Parallel()
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	bin, files := completionDirs(t)
	url, cache, pwned := hostileListing(t, bin, files)
	script, _ := filepath.Abs("../completions/amfcall.fish")
	for _, tc := range []struct{ line, want string }{
		{"amfcall call " + url + " svc.", "svc.ok svc.okTwo svc.é-ü_1"},
		{"amfcall call " + url + " 'svc.o", "svc.ok svc.okTwo"},
		{"amfcall describe " + url + " sv", "svc svc.ok svc.okTwo svc.é-ü_1"},
		{"amfcall convert --to=base64:a", "--to=base64:amf0 --to=base64:amf3"},
	} {
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tc.line)
		cmd.Dir = files
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files, cache)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			got = append(got, strings.TrimPrefix(strings.SplitN(l, "\t", 2)[0], "'"))
		}
		slices.Sort(got)
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("fish completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
	ranNone(t, pwned)
}
