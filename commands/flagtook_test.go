package commands

import "testing"

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
			stderr: took("list", "URL", "--timeout", url, "DURATION")},
		{args: []string{"describe", "--timeout", url, "echo"}, code: 2,
			stderr: took("describe", "URL", "--timeout", url, "DURATION")},
		{args: []string{"publish", "--timeout", url, "chat", "{}"}, code: 2,
			stderr: took("publish", "URL", "--timeout", url, "DURATION")},
		{args: []string{"snapshots", "--max-download", url}, code: 2,
			stderr: took("snapshots", "URL", "--max-download", url, "SIZE") +
				"amfcall: hint: AMFCALL_URL gives a default gateway URL\n"},
		{args: []string{"call", "-H", url, "echo.echo", "1"}, code: 2,
			stderr: took("call", "URL", "-H", url, "'NAME: VALUE'")},
		{args: []string{"bench", "-u", url, "echo.echo"}, code: 2,
			stderr: took("bench", "URL", "-u", url, "USER:PASSWORD")},
		{args: []string{"bench", "--for", url, "echo.echo"}, code: 2,
			stderr: `amfcall: error: invalid --for "` + url + `": want a duration such as 20s or 1m (the flag's value is missing: it took the next argument)` + "\n"},
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
		// A file flag of call that took the URL: checked before the
		// file's folder.
		{args: []string{"call", "--save-request", url, "a.b"}, code: 2,
			stderr: took("call", "URL", "--save-request", url, "FILE")},
		{args: []string{"call", "--session", url, "a.b"}, code: 2,
			stderr: took("call", "URL", "--session", url, "FILE")},
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
			stderr: took("list", "URL", "-u", url, "USER:PASSWORD")},
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
