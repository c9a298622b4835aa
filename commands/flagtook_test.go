package commands

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A value flag written without its value takes the next word; when that
// word is the URL or HOST:PORT the command then lacks, the error says
// which flag took it, not only that it is missing. Nothing is contacted:
// the addresses are closed ports.
func TestFlagTookArgument(t *testing.T) {
	t.Parallel()
	const hp, url = "127.0.0.1:1", "http://127.0.0.1:1/"
	took := func(cmd, what, flag, value, placeholder string) string {
		return "amfcall: error: amfcall " + cmd + ": missing " + what + ": the flag " + flag + ` took "` + value + `" as its value` + "\n" +
			"amfcall: hint: the flag's own value is missing: write " + flag + " " + placeholder + " before the " + what + "\n"
	}
	// A URL (http:// or https://) taken by a flag that does not take
	// one is refused before the command runs, whether or not the
	// command then lacks its URL.
	tookURL := func(cmd, flag, value, placeholder string) string {
		return "amfcall: error: amfcall " + cmd + ": the flag " + flag + ` took the URL "` + value + `" as its value; ` + flag + " does not take a URL\n" +
			"amfcall: hint: the flag's own value is missing: write " + flag + " " + placeholder + " before the URL\n"
	}
	for _, c := range []cliCase{
		{args: []string{"socket", "call", "--timeout", hp, "echo"}, code: 2,
			stderr: took("socket call", "HOST:PORT", "--timeout", hp, "DURATION")},
		// Enough words left for COMMAND and PARAMS: the address check.
		{args: []string{"socket", "call", "--max-frame", hp, "echo", "{}"}, code: 2,
			stderr: took("socket call", "HOST:PORT", "--max-frame", hp, "SIZE")},
		{args: []string{"socket", "listen", "--for", hp}, code: 2,
			stderr: took("socket listen", "HOST:PORT", "--for", hp, "DURATION")},
		{args: []string{"socket", "call", "--call", hp}, code: 2,
			stderr: took("socket call", "HOST:PORT", "--call", hp, "COMMAND=JSON") +
				"amfcall: hint: with --call, the commands are given by --call only\n"},
		{args: []string{"list", "--timeout", url}, code: 2,
			stderr: tookURL("list", "--timeout", url, "DURATION")},
		{args: []string{"describe", "--timeout", url, "echo"}, code: 2,
			stderr: tookURL("describe", "--timeout", url, "DURATION")},
		{args: []string{"publish", "--timeout", url, "chat", "{}"}, code: 2,
			stderr: tookURL("publish", "--timeout", url, "DURATION")},
		{args: []string{"snapshots", "--max-download", url}, code: 2,
			stderr: tookURL("snapshots", "--max-download", url, "SIZE")},
		{args: []string{"call", "-H", url, "echo.echo", "1"}, code: 2,
			stderr: tookURL("call", "-H", url, "'NAME: VALUE'")},
		{args: []string{"bench", "-u", url, "echo.echo"}, code: 2,
			stderr: tookURL("bench", "-u", url, "USER[:PASSWORD]")},
		{args: []string{"bench", "--for", url, "echo.echo"}, code: 2,
			stderr: tookURL("bench", "--for", url, "DURATION")},
		// An integer flag: the flag package's error, with the reason.
		{args: []string{"bench", "-n", url, "echo.echo"}, code: 2,
			stderr: `amfcall: error: invalid value "` + url + `" for flag -n: parse error (the flag's value is missing: it took the next argument)` + "\n" +
				`amfcall: hint: run "amfcall bench --help" for the usage` + "\n"},
		{args: []string{"socket", "listen", "-n", hp}, code: 2,
			stderr: `amfcall: error: invalid value "` + hp + `" for flag -n: parse error (the flag's value is missing: it took the next argument)` + "\n" +
				`amfcall: hint: run "amfcall socket listen --help" for the usage` + "\n"},
		// The flag package names a long flag with one dash: written as
		// it is typed.
		{args: []string{"probe", "--rate", url}, code: 2,
			stderr: `amfcall: error: invalid value "` + url + `" for flag --rate: parse error (the flag's value is missing: it took the next argument)` + "\n" +
				`amfcall: hint: run "amfcall probe --help" for the usage` + "\n"},
		// A URL with another scheme: refused only when the command then
		// lacks its URL.
		{args: []string{"call", "-H", "ftp://127.0.0.1:1/", "echo.echo", "1"}, code: 2,
			stderr: took("call", "URL", "-H", "ftp://127.0.0.1:1/", "'NAME: VALUE'")},
		// A file flag of call that took the URL: checked before the
		// file's folder.
		{args: []string{"call", "--save-request", url, "a.b"}, code: 2,
			stderr: tookURL("call", "--save-request", url, "FILE")},
		{args: []string{"call", "--session", url, "a.b"}, code: 2,
			stderr: tookURL("call", "--session", url, "FILE")},
		// A flag whose value is an address took what it should: the URL
		// is just missing.
		{args: []string{"call", "--proxy", url, "echo.echo", "1"}, code: 2,
			stderr: "amfcall: error: amfcall call: missing URL\namfcall: hint: usage: amfcall call URL TARGET [ARG...]\n" +
				"amfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		// Values that only look like addresses in part: a password of
		// digits, a header that holds a URL. The URL is just missing.
		{args: []string{"bench", "-u", "alice:1234", "echo.echo"}, code: 2,
			stderr: "amfcall: error: amfcall bench: missing URL\namfcall: hint: usage: amfcall bench URL TARGET [ARG...]\n" +
				"amfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		{args: []string{"call", "-H", "Origin: http://example.com", "echo.echo"}, code: 2,
			stderr: "amfcall: error: amfcall call: missing URL\namfcall: hint: usage: amfcall call URL TARGET [ARG...]\n" +
				"amfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		// The flag took the URL and nothing followed: both are missing,
		// the hint names where the value goes.
		{args: []string{"list", "-u", url}, code: 2,
			stderr: tookURL("list", "-u", url, "USER[:PASSWORD]")},
		{args: []string{"socket", "call", "--timeout", hp}, code: 2,
			stderr: "amfcall: error: amfcall socket call: missing HOST:PORT and COMMAND: the flag --timeout took \"" + hp + "\" as its value\n" +
				"amfcall: hint: the flag's own value is missing: write --timeout DURATION before the HOST:PORT\n"},
		// --flag=VALUE is meant as written.
		{args: []string{"socket", "call", "--timeout=" + hp, "echo"}, code: 2,
			stderr: `amfcall: error: amfcall socket call: missing HOST:PORT ("echo" is not one)` + "\n" +
				"amfcall: hint: usage: amfcall socket call HOST:PORT [COMMAND [PARAMS]]\n"},
	} {
		checkCase(t, c)
	}
}

// With AMFCALL_URL set, a value flag that took the URL the user typed
// left the command its default gateway: "call -H http://B/ echo.echo 1"
// sent the header "Http: //B/" to AMFCALL_URL, and "-u http://B/" the
// credentials {userid: "http"} (review2 F14). Now a usage error naming
// the flag, and nothing reaches either gateway. Flags that take a URL
// (--referer, --proxy) and values that only hold one are sent.
func TestFlagTookURLWithDefault(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string // method, path and headers of each request
	def := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, fmt.Sprintf("%s %s Referer=%q Origin=%q", r.Method, r.URL.Path, r.Referer(), r.Header.Get("Origin")))
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		p, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		reply := &amf.Packet{}
		for _, m := range p.Messages {
			reply.Messages = append(reply.Messages, amf.Message{Target: m.Response + "/onResult", Response: "null", Value: "ok"})
		}
		b, _ := amf.MarshalPacket(reply)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(b)
	}))
	defer def.Close()
	sent := func() []string {
		mu.Lock()
		defer mu.Unlock()
		s := got
		got = nil
		return s
	}
	// The URL the user typed: a closed port, never contacted either.
	const typed = "http://127.0.0.1:1/gateway"
	env := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_URL": def.URL + "/default"}
	tookURL := func(cmd, flag, placeholder string) string {
		return "amfcall: error: amfcall " + cmd + ": the flag " + flag + ` took the URL "` + typed + `" as its value; ` + flag + " does not take a URL\n" +
			"amfcall: hint: the flag's own value is missing: write " + flag + " " + placeholder + " before the URL\n"
	}
	for _, c := range []cliCase{
		{args: []string{"call", "-H", typed, "echo.echo", "1"}, stderr: tookURL("call", "-H", "'NAME: VALUE'")},
		{args: []string{"call", "-u", typed, "echo.echo", "1"}, stderr: tookURL("call", "-u", "USER[:PASSWORD]")},
		{args: []string{"call", "-ku", typed, "echo.echo", "1"}, stderr: strings.Replace(tookURL("call", "-ku", "USER[:PASSWORD]"), "; -ku", "; -u", 1)},
		{args: []string{"call", "-d", typed, "echo.echo"}, stderr: tookURL("call", "-d", "JSON")},
		{args: []string{"call", "--amf-header", typed, "echo.echo", "1"}, stderr: tookURL("call", "--amf-header", "NAME=JSON")},
		{args: []string{"call", "--user-agent", typed, "echo.echo", "1"}, stderr: tookURL("call", "--user-agent", "STRING")},
		{args: []string{"call", "echo.echo", "1", "--destination", typed}, stderr: tookURL("call", "--destination", "DEST")},
		{args: []string{"call", "--timeout", strings.ToUpper(typed[:5]) + typed[5:], "echo.echo", "1"},
			stderr: strings.Replace(tookURL("call", "--timeout", "DURATION"), typed, "HTTP:"+typed[5:], 1)},
		{args: []string{"list", "-H", typed}, stderr: tookURL("list", "-H", "'NAME: VALUE'")},
		{args: []string{"describe", "-u", typed, "echo"}, stderr: tookURL("describe", "-u", "USER[:PASSWORD]")},
		{args: []string{"publish", "--subtopic", typed, "chat", "{}"}, stderr: tookURL("publish", "--subtopic", "NAME")},
		{args: []string{"bench", "-H", typed, "echo.echo"}, stderr: tookURL("bench", "-H", "'NAME: VALUE'")},
		{args: []string{"upload", "-u", typed, "ByteArray.saveSnapshot", "x.png"}, stderr: tookURL("upload", "-u", "USER[:PASSWORD]")},
	} {
		c.env, c.code = env, 2
		checkCase(t, c)
		if s := sent(); len(s) != 0 {
			t.Errorf("amfcall %s: sent %q, want nothing sent", strings.Join(c.args, " "), s)
		}
	}
	// A flag that takes a URL keeps it; a header that holds one, or a
	// value written --flag=VALUE, is meant as written. Each goes to the
	// default gateway.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"call", "--referer", typed, "echo.echo", "1"}, `POST /default Referer="` + typed + `" Origin=""`},
		{[]string{"call", "-H", "Origin: " + typed, "echo.echo", "1"}, `POST /default Referer="" Origin="` + typed + `"`},
	} {
		checkCase(t, cliCase{args: c.args, env: env, stdout: "\"ok\"\n"})
		if s := sent(); len(s) != 1 || s[0] != c.want {
			t.Errorf("amfcall %s: sent %q, want one request: %s", strings.Join(c.args, " "), s, c.want)
		}
	}
}
