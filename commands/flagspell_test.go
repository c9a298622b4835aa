package commands

import (
	"strings"
	"testing"
)

// A URL given to a value flag that does not take one is refused in every
// spelling urfave/cli reads: --flag URL and -f URL (the flag took the
// gateway URL that followed), --flag=URL and -f=URL (typed so: still no
// header, file, duration or JSON), and -fURL is no spelling at all. A
// flag that takes a URL (--proxy, --referer) takes it in every spelling.
// Nothing is sent: the command is refused before it runs, or --offline.
func TestFlagURLEverySpelling(t *testing.T) {
	t.Parallel()
	const gw, v = "http://127.0.0.1:1/", "http://host.invalid/x"
	took := func(word, name, ph string) string {
		return "amfcall: error: amfcall call: the flag " + word + ` took the URL "` + v + `" as its value; ` + name + " does not take a URL\n" +
			"amfcall: hint: the flag's own value is missing: write " + word + " " + ph + " before the URL\n"
	}
	typed := func(word, name, ph string) string {
		return "amfcall: error: amfcall call: " + word + `="` + v + `": ` + name + " does not take a URL\n" +
			"amfcall: hint: give " + word + " its own value: " + word + " " + ph + "\n"
	}
	for _, f := range []struct{ long, short, ph string }{
		{"header", "H", "'NAME: VALUE'"},
		{"data", "d", "JSON"},
		{"user", "u", "USER[:PASSWORD]"},
		{"cacert", "", "FILE"},
		{"session", "", "FILE"},
		{"timeout", "", "DURATION"},
		{"amf-header", "", "NAME=JSON"},
	} {
		type spelling struct {
			args   []string
			stderr string
		}
		long := "--" + f.long
		cases := []spelling{
			{[]string{long, v, gw, "a.b"}, took(long, long, f.ph)},
			{[]string{long + "=" + v, gw, "a.b"}, typed(long, long, f.ph)},
			{[]string{gw, "a.b", long + "=" + v}, typed(long, long, f.ph)}, // after the arguments
		}
		if f.short != "" {
			short := "-" + f.short
			cases = append(cases,
				spelling{[]string{short, v, gw, "a.b"}, took(short, short, f.ph)},
				spelling{[]string{short + "=" + v, gw, "a.b"}, typed(short, short, f.ph)},
				spelling{[]string{"-k" + f.short, v, gw, "a.b"}, took("-k"+f.short, short, f.ph)},
				spelling{[]string{short + v, gw, "a.b"}, "amfcall: error: " + short + v + ": " + short + " takes a value, so it can only end a group of one-letter flags\n" +
					"amfcall: hint: write it on its own, e.g. " + short + " VALUE\n"},
			)
		}
		for _, sp := range cases {
			args := append([]string{"call"}, sp.args...)
			stdout, stderr, code := run(t, args, "", nil, false)
			if code != exitUsage || stdout != "" || stderr != sp.stderr {
				t.Errorf("%q: exit %d\nstdout %q\nstderr %q\nwant   %q", args, code, stdout, stderr, sp.stderr)
			}
		}
	}
	// The flags that take a URL, in every spelling.
	for _, args := range [][]string{
		{"--referer", v}, {"--referer=" + v}, {"--proxy", v}, {"--proxy=" + v},
	} {
		args = append(append([]string{"call", "--offline"}, args...), gw, "a.b")
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 0 || !strings.Contains(stdout, `"target":"a.b"`) || stderr != "" {
			t.Errorf("%q: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
	}
}

// The arg words never make the flag checks panic, and reorder only
// moves them (checkReorderKeeps).
func FuzzFlagValues(f *testing.F) {
	for _, s := range []string{
		"call\x00-H\x00http://x/\x00u\x00a.b", "call\x00--header=http://x/", "call\x00-kH\x00v", "call\x00-Hv",
		"call\x00-=\x00--=\x00-\x00--\x00-H", "bench\x00-n=\x00-c", "call\x00--cacert=http://x\x00", "socket\x00call\x00--timeout\x00127.0.0.1:1",
	} {
		f.Add(s)
	}
	flags := callCommand.Flags
	f.Fuzz(func(t *testing.T, line string) {
		args := append([]string{"amfcall"}, strings.Split(line, "\x00")...)
		for _, fv := range flagValues(flags, args) {
			if fv.name == "" || findFlag(flags, fv.name) == nil {
				t.Fatalf("%q: %+v names no flag", args, fv)
			}
		}
		for _, w := range args {
			_, _ = flagTakesValue(w, flags)
			_ = isFlagWord(w, flags)
			_ = hasScheme(w)
			_ = isGatewayArg(w, true)
		}
		checkReorderKeeps(t, args)
	})
}
