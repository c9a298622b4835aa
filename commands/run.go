// Package commands is the amfcall command line: it reads flags, opens
// inputs and outputs, calls the amf, convert and client packages, and turns
// their errors into messages and exit codes. It holds no AMF logic itself.
package commands

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
)

// Exit codes, fixed by the command-line contract.
const (
	exitOK      = 0
	exitFault   = 1 // the remote method answered with a fault
	exitUsage   = 2 // a usage error: bad flags or arguments, unusable paths
	exitNetwork = 3 // the network or HTTP failed
	exitInput   = 4 // malformed input: AMF or JSON that cannot be decoded
)

// exitInternal is what a panic or an error no other class covers exits
// with. The contract has no code for "amfcall itself failed", so it takes
// 1, the general failure status of most tools; the message on stderr says
// "internal error", so a script that reads exit 1 as a remote fault can
// tell the two apart (a fault also prints its JSON on stdout).
const exitInternal = 1

func init() {
	// urfave/cli appends its global --help and --version flags to every
	// app and command it runs, and parsing writes into them: runs in
	// parallel (tests) would share them. Each run has its own instead
	// (helpFlag, versionFlag, answered by helpBefore). urfave/cli's
	// --version also had the alias -v, which every command here uses for
	// --verbose.
	cli.HelpFlag = nil
	cli.VersionFlag = nil
}

// exitError is an error that carries its exit code and, optionally, hints:
// one line each of what the user can do about it.
type exitError struct {
	code  int
	err   error
	hints []string
}

var _ cli.ExitCoder = (*exitError)(nil)

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }
func (e *exitError) ExitCode() int { return e.code }

// hint adds a hint line and returns e, for chaining.
func (e *exitError) hint(h string) *exitError {
	e.hints = append(e.hints, h)
	return e
}

// usageErrorf makes a usage error (exit 2).
func usageErrorf(format string, a ...any) *exitError {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// withCode gives err an exit code, keeping any hints it has.
func withCode(code int, err error) *exitError {
	var ee *exitError
	if errors.As(err, &ee) {
		return &exitError{code: code, err: err, hints: ee.hints}
	}
	return &exitError{code: code, err: err}
}

// withHint adds a hint to err, keeping its exit code.
func withHint(err error, h string) *exitError {
	code, hints := classify(err)
	return &exitError{code: code, err: err, hints: append(slicesClone(hints), h)}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// saveResponseHint is the hint of a reply that does not decode. Only
// call has --save-response: report gives the other commands the call
// that does.
const saveResponseHint = "keep the reply's bytes with --save-response FILE; amfcall dump FILE then shows each byte up to the fault"

// resendHints replace saveResponseHint for a command without
// --save-response. upload and bench name their call (URL TARGET ARG...),
// which call makes as they do. The others (publish, subscribe, logout,
// list, describe, snapshots) make calls of their own, a Flex ping, a
// subscribe, a poll, an unsubscribe or a discovery call, that no "same
// call" names (and the one that failed is not always the last: subscribe
// unsubscribes after a poll fails): -v shows each request packet and
// each reply packet as typed JSON, and call --packet sends one again as
// it is. Given -v already, the trace above the error shows them: the
// hint says where to look rather than what -v would print.
func resendHints(cmd *cli.Command, verbose int) []string {
	if cmd.Name == "upload" || cmd.Name == "bench" || findFlag(cmd.Flags, "verbose") == nil {
		return []string{"keep the reply's bytes with amfcall call --save-response FILE, the same URL and the same call; amfcall dump FILE then shows each byte up to the fault"}
	}
	if verbose > 0 {
		return []string{
			"the trace above shows each request packet, and the reply packet of each that got one, as typed JSON: the request with no reply packet after it got this reply",
			"to keep the reply's bytes, save that request packet to FILE and send it again with amfcall call --packet FILE --save-response OUT URL; call then says how amfcall dump shows OUT",
		}
	}
	return []string{
		"-v prints each request packet, and the reply packet of each that got one, as typed JSON on stderr: the request with no reply packet after it got this reply",
		"to keep the reply's bytes, save that request packet to FILE and send it again with amfcall call --packet FILE --save-response OUT URL; call then says how amfcall dump shows OUT",
	}
}

// classify finds the exit code of err and its hints: the one place that
// maps the libraries' typed errors to exit codes and to hints that name
// flags. An error that carries a code (ExitCode() int) decides for
// itself; codec errors are malformed input; an unusable path is a usage
// error; anything else is an internal error.
func classify(err error) (int, []string) {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, ee.hints
	}
	var (
		coder     cli.ExitCoder
		fault     *client.Fault
		httpErr   *client.HTTPError
		decErr    *client.DecodeError
		sessErr   *client.SessionError
		syntax    *amf.SyntaxError
		trailing  *amf.TrailingDataError
		encode    *amf.EncodeError
		frameErr  *amf.FrameError
		frameSize *amf.FrameSizeError
		jsonErr   *convert.Error
		textErr   *convert.TextError
		limit     *convert.OutputLimitError
		targetErr *convert.TargetError
		snapErr   *client.SnapshotsError
		dlErr     *client.DownloadError
		inputErr  *convert.InputError
		pathErr   *fs.PathError
		linkErr   *os.LinkError
	)
	switch {
	case errors.As(err, &coder):
		return coder.ExitCode(), nil
	case errors.As(err, &fault):
		return exitFault, nil
	case errors.As(err, &httpErr):
		return exitNetwork, httpHints(httpErr)
	case errors.As(err, &decErr):
		// A reply that is not AMF (junk, cut short, nested too deep) is
		// the gateway's failure, not malformed input of the user's: 3,
		// as cli.md says; the message keeps the offset.
		return exitNetwork, []string{saveResponseHint}
	case errors.As(err, &sessErr) && sessErr.Other != "":
		// Another file given as --session (curl's cookie jar, the -d
		// file): the session is a file of amfcall's own.
		h := []string{"give --session a file of amfcall's own: a new name starts a new session"}
		if sessErr.CookieJar {
			h = append(h, "to send a cookie of the jar, -H 'Cookie: NAME=VALUE'")
		}
		return exitInput, h
	case errors.As(err, &sessErr):
		return exitInput, nil
	case errors.As(err, &targetErr):
		return exitUsage, targetHints(targetErr)
	case errors.As(err, &inputErr):
		code, _ := classify(inputErr.Err)
		if code == exitInternal || code == exitUsage {
			code = exitInput
		}
		return code, inputHints(inputErr)
	case errors.As(err, &snapErr):
		return exitInput, nil
	case errors.As(err, &dlErr):
		switch {
		case dlErr.Refused > 0:
			return exitInput, nil
		case dlErr.Failed > 0:
			return exitNetwork, nil
		}
		return exitNetwork, []string{"raise --max-download to fetch them all"}
	case errors.Is(err, client.ErrNoPEM):
		return exitUsage, []string{"give --cacert a PEM file of CA certificates"}
	case errors.As(err, &frameErr) && frameErr.Err == io.ErrUnexpectedEOF:
		// The input ended inside the frame's length or payload.
		return exitInput, []string{"the capture ends inside this frame: it was cut short"}
	case errors.As(err, &frameErr) && errors.As(frameErr.Err, &syntax) && errors.Is(syntax, io.ErrUnexpectedEOF):
		// The frame is whole; its value needs bytes past its end.
		return exitInput, []string{fmt.Sprintf("the frame is whole but its value runs past its end (offsets in the value count from its payload, which starts at offset %d): the length at offset %d is short of the value, or the value was cut short before it was framed; amfcall dump --from socket shows the bytes",
			frameErr.Offset+4, frameErr.Offset)}
	case errors.As(err, new(*amf.SwitchReplayError)):
		return exitInput, []string{"use the typed form (--typed), which writes each shared value once and reads none again"}
	case errors.Is(err, convert.ErrTracedCut):
		return exitInput, []string{"take the whole value from a -vv trace, which cuts no value short"}
	case errors.As(err, &syntax), errors.As(err, &trailing), errors.As(err, &encode),
		errors.As(err, &jsonErr), errors.As(err, &textErr), errors.As(err, &frameErr), errors.As(err, &frameSize):
		return exitInput, nil
	case errors.As(err, new(*convert.TypedOutputLimitError)):
		// Typed output that explodes: strings sent by reference.
		return exitInput, []string{"raise --max-output if the output is meant to be this large"}
	case errors.As(err, &limit):
		// The input decodes, but its plain form explodes (a reference
		// bomb): still the input's fault, and --typed gets around it.
		return exitInput, []string{"use the typed form (--typed), which writes each shared value once, or raise --max-output"}
	case errors.As(err, &pathErr), errors.As(err, &linkErr):
		return exitUsage, nil
	case strings.HasPrefix(err.Error(), "Required flag"):
		// urfave/cli's missing Required flag (its type is unexported).
		return exitUsage, nil
	}
	return exitInternal, nil
}

// targetHints says which --to would do.
func targetHints(e *convert.TargetError) []string {
	if len(e.Formats) > 0 {
		var b strings.Builder
		for i, f := range e.Formats {
			if i > 0 {
				b.WriteString(" or ")
			}
			b.WriteString("--to " + f)
		}
		return []string{"use " + b.String()}
	}
	if e.Hint != "" {
		return []string{e.Hint}
	}
	return nil
}

// inputHints says which --from may read the input.
func inputHints(e *convert.InputError) []string {
	switch e.Why {
	case convert.WhyUnknown:
		return []string{"--from says what it is (amf0, amf3, packet, json...)"}
	case convert.WhyLooksLikePacket:
		if e.Count != nil {
			return []string{countHint(e.Count)}
		}
		return []string{packetHint(e)}
	case convert.WhyOtherVersion:
		return []string{fmt.Sprintf("the input decodes as %s: add --from %s", strings.ToUpper(e.Other.String()), e.Other)}
	case convert.WhyDefaultGuess:
		return []string{"it was read as bare AMF3 values, the default; --from says what it is (amf0, packet, json...)"}
	case convert.WhyText:
		return []string{"it is text, not AMF, JSON, hex or base64 (it was read as bare AMF3 values, the default); --from says what it is if it is one of them"}
	case convert.WhyForeign:
		return []string{e.Hint}
	case convert.WhyUTF16:
		// (Whole UTF-16 text is read: convert.DecodeUTF16.)
		if e.Hint != "" {
			// Where it stops being UTF-16 (convert.UTF16Fault).
			return []string{"it is " + e.Hint}
		}
		return []string{"it starts with a UTF-16 byte order mark but is not UTF-16 text (an odd number of bytes, or half a surrogate pair): was it cut short?"}
	}
	return nil
}

// countHint is the hint of a packet that reads whole once one count is
// made right: a gateway wrote it wrong, the file was not cut short.
func countHint(f *amf.CountFix) string {
	var whats []string
	reads := "amfcall call reads such a reply as its bytes say, with a warning"
	for ; f != nil; f = f.Then {
		follow := "follow"
		if f.Found == 1 {
			follow = "follows"
		}
		what := fmt.Sprintf("header count (byte %d) says %d, but %s %s", f.Offset, f.Said, plural(f.Found, "header"), follow)
		if f.Messages {
			held := plural(f.Found, "body")
			if f.More {
				// (More follow than a count can say: call reads the
				// first 65535.)
				held = fmt.Sprintf("%d bodies, more than a count can say (%d at most)", f.Held, f.Found)
				reads = fmt.Sprintf("amfcall call reads the first %d of them, with a warning", f.Found)
			}
			what = fmt.Sprintf("message count (byte %d) says %d, but its bytes hold %s", f.Offset, f.Said, held)
			what = strings.Replace(what, "bodys", "bodies", 1)
		}
		whats = append(whats, "its "+what)
	}
	wrong := "a wrong count"
	if len(whats) > 1 {
		wrong = "both counts wrong"
	}
	return strings.Join(whats, ", and ") + ": the gateway wrote " + wrong + ", not a file cut short; " + reads
}

// countWarning is the warning of a saved reply read as its bytes say
// although one count of its packet (at byte at of the input, n bytes)
// says otherwise (convert.Source.Count): call's words, and what a packet
// written from it counts, as JSON has no place for a count as read.
func countWarning(f *amf.CountFix, at, n int) string {
	what := "header"
	if f.Messages {
		what = "message"
	}
	return fmt.Sprintf("%s; written back as AMF, its %s count says %d", f.Warning(at, n), what, f.Found)
}

// packetHint is the hint of input guessed to be a packet that failed to
// decode. A saved reply or capture that stopped early is a packet's
// start: no --from reads the rest, the file must be got whole again.
func packetHint(err error) string {
	var both *amf.CutShortReadingsError
	if errors.As(err, &both) {
		return "its bytes end early read as an AMF packet and as AMF Socket frames alike (a capture that stopped?): they were read as the packet; add --from socket to read the frames"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "it is the start of an AMF packet whose bytes end early: the file was cut short (a download or capture that stopped?); get it whole again. If it is a bare value instead, add --from amf3 or --from amf0"
	}
	return "it looks like an AMF packet; if it is a bare value, add --from amf3 or --from amf0"
}

// httpHints names the flags that help with a network or HTTP failure.
func httpHints(e *client.HTTPError) []string {
	var idle *client.IdleTimeoutError
	var hostErr x509.HostnameError
	switch {
	case errors.As(e, &idle):
		return []string{"raise --idle-timeout if the gateway is only slow (0 turns it off)"}
	case e.Reason == client.ReasonConnectTimeout:
		return []string{"raise --connect-timeout"}
	case errors.Is(e, client.ErrTimeout):
		return []string{"raise --timeout (0 is no limit)"}
	case errors.Is(e, client.ErrTLS) && errors.As(e, &hostErr):
		// Trusted, but for other names: --cacert cannot help (it was
		// often given already); the URL's host is what is wrong.
		return []string{hostnameHint(hostErr)}
	case e.Reason == client.ReasonNotTrusted:
		return []string{"pass its CA with --cacert FILE, or skip the check with --insecure"}
	case e.Reason == client.ReasonHandshake:
		return []string{"try --insecure to see whether the certificate is the cause"}
	case e.Reason == client.ReasonHeaderTooLarge:
		return nil // net/http's own limit, no flag raises it
	case errors.Is(e, client.ErrTooLarge):
		return []string{"raise --max-response-size"}
	case e.Reason == client.ReasonBadRequest:
		return []string{"see what was sent with -v; try --amf3"}
	case e.Reason == client.ReasonProxyRefused, e.Reason == client.ReasonProxyDNS, e.Reason == client.ReasonProxy:
		return []string{proxyHint}
	case e.Reason == client.ReasonAuthWanted:
		return []string{"-H 'Authorization: ...' sends one as it is"}
	case e.Reason == client.ReasonDowngrade:
		return nil
	case errors.Is(e, client.ErrNoReply):
		return []string{"see the reply with -v"}
	}
	return nil
}

// proxyHint says where the proxy that failed came from.
const proxyHint = "the proxy is --proxy's, else HTTPS_PROXY's or HTTP_PROXY's (NO_PROXY lists the hosts reached directly)"

// hostnameHint says which names a server's certificate holds, when the
// URL's host is none of them (https://127.0.0.1/ for a certificate of
// localhost): call the gateway by one of them.
func hostnameHint(e x509.HostnameError) string {
	list, n := client.CertNames(e)
	host := safetext.Escape(e.Host, 100)
	if n == 0 {
		return fmt.Sprintf("the certificate names no host (only a Common Name, which is not checked), so no URL matches it; skip the check with --insecure, or have the server's certificate name %s", host)
	}
	use := "that name"
	if n > 1 {
		use = "one of those names"
	}
	return fmt.Sprintf("the certificate is for %s, not %s: put %s in the URL instead of %s (--cacert does not change the names), or skip the check with --insecure", list, host, use, host)
}

// unclassified reports whether no rule of classify knew err: a bug, or a
// failure no command expected.
func unclassified(err error) bool {
	var coder cli.ExitCoder
	var fault *client.Fault
	if errors.As(err, &coder) || errors.As(err, &fault) {
		return false
	}
	code, _ := classify(err)
	return code == exitInternal
}

// Run runs amfcall with the given arguments (args[0] is the program name)
// and streams, and returns the exit status. It never panics and never
// exits: errors are printed once on stderr as "amfcall: error: ...",
// followed by "amfcall: hint: ..." lines where there is a hint.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// net/http's client writes what a broken server did (bytes after
	// the reply's end) with the standard logger: give it our form, not a
	// timestamp. Run is the process's entry, called once.
	// Each distinct line once: bench against a gateway that turns
	// connections away gave one line each (16 to 33 at -c 2000); and at
	// most 4 lines of a kind (see onceLog).
	log.SetOutput(&onceLog{w: stderr})
	log.SetFlags(0)
	log.SetPrefix("amfcall: warning: net/http: ")
	e := &runEnv{
		args:       args,
		stdin:      stdin,
		stdout:     stdout,
		stderr:     stderr,
		getenv:     os.Getenv,
		isTerminal: isTerminal,
		openTTY:    openControllingTTY,
	}
	var f *os.File
	if f, e.stdinFile = stdin.(*os.File); e.stdinFile {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			e.stdinStat = st
		}
	}
	return e.run()
}

func (e *runEnv) run() (code int) {
	defer e.startProfiles()()
	defer func() {
		// The last resort: a bug must still end in one line, not a trace.
		if r := recover(); r != nil {
			if f, ok := r.(interface{ Addr() uintptr }); ok {
				if off, ok := e.inMapped(f.Addr()); ok {
					// SetPanicOnFault (mapInput): a mapped file shrank.
					code = e.report(withCode(exitInput, fmt.Errorf("the input file was cut short while it was read (at byte %d)", off)).
						hint("something changed the file meanwhile; run again once it is complete"))
					return
				}
			}
			code = e.report(withCode(exitInternal, fmt.Errorf("internal error: %v", r)).
				hint("this is a bug in amfcall; please report it with the command line and the input"))
		}
	}()
	if len(e.args) == 0 {
		e.args = []string{"amfcall"}
	}
	app := newApp(e)
	app.Version = version()
	var err error
	if e.args[len(e.args)-1] == "--generate-bash-completion" {
		// A shell asks for completions (see completeHook): the word being
		// completed is taken off, urfave/cli finds the command.
		words := e.args[:len(e.args)-1]
		// After a "--" the words are arguments, completed as arguments
		// (completeHook); "--" being typed is the start of a long flag
		// ("call --<TAB>" lists them).
		if len(words) < 2 {
			return exitOK
		}
		e.completing = words[len(words)-1]
		e.args = words[:len(words)-1]
		// urfave/cli is given the command path only: it finds the command
		// whose BashComplete answers; flags, which it could fail to parse
		// (an unknown one, one without its value), stay out of it.
		args := commandPath(app, e.args)
		_ = app.Run(append(args, "--generate-bash-completion"))
		return exitOK
	}
	args, err := reorder(app, e.args)
	if err == nil {
		err = app.Run(args)
	}
	if err == nil {
		err = e.pending
	}
	if (err == nil || errors.Is(err, errHelpShown)) && e.appOut.err != nil {
		// The help or the version (or a command's output written
		// where urfave/cli writes) did not reach stdout.
		err = stdoutError(e.appOut.err)
	}
	if err == nil || errors.Is(err, errHelpShown) {
		return exitOK
	}
	return e.report(err)
}

// exitBrokenPipe is the status of a run whose output's reader went away:
// the shell's status of a process ended by SIGPIPE, which is how a write
// to the process's own stdout ends it ("| head -1").
const exitBrokenPipe = 128 + 13

// errReaderGone is the error of a write to an output whose reader went
// away: an output named -o /dev/stdout, /dev/fd/1 or a FIFO gets EPIPE
// back where a write to the process's stdout ends it by SIGPIPE.
var errReaderGone = errors.New("the output's reader went away")

// readerGone reports whether err is a write that failed because the pipe
// it wrote to has no reader any more (a file's write: a network
// connection's EPIPE is a *net.OpError, a network failure).
func readerGone(err error) bool {
	if errors.Is(err, errReaderGone) {
		return true
	}
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Op == "write" && errors.Is(pe.Err, syscall.EPIPE)
}

// report prints err and its hints on stderr and returns its exit code.
// An output whose reader went away is not an error to tell: it ends
// quietly with 141, as a write to stdout's closed pipe ends the process,
// whichever name the output was given.
func (e *runEnv) report(err error) int {
	if readerGone(err) {
		return exitBrokenPipe
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Op == "write" && pe.Path == "/dev/stdout" {
		// A full disk under stdout: said one way by every command (call
		// said "write /dev/stdout: ...", dump "writing stdout: write
		// /dev/stdout: ...", convert "writing stdout: ..." with a hint).
		err = withCode(exitUsage, fmt.Errorf("writing stdout: %w", pe.Err)).hint("check that there is room where the output goes")
	}
	code, hints := classify(err)
	if e.ran != nil && findFlag(e.ran.Flags, "save-response") == nil {
		// Only call keeps a reply's bytes: the others are told how call
		// does it for them.
		var out []string
		for _, h := range hints {
			if h == saveResponseHint {
				out = append(out, resendHints(e.ran, e.ranVerbose)...)
			} else {
				out = append(out, h)
			}
		}
		hints = out
	}
	hints = e.ownHints(hints)
	msg := strings.TrimSpace(err.Error())
	if unclassified(err) && !strings.HasPrefix(msg, "internal error") {
		msg = "internal error: " + msg
	}
	mode := e.colorMode
	if mode == "" {
		mode = colorFromArgs(e.args) // the flags were not read: an early error
	}
	on := e.colorOn(mode, e.stderr)
	red := color.New(color.FgRed, color.Bold)
	cyan := color.New(color.FgCyan)
	if on {
		red.EnableColor()
		cyan.EnableColor()
	} else {
		red.DisableColor()
		cyan.DisableColor()
	}
	fmt.Fprintf(e.stderr, "amfcall: %s %s\n", red.Sprint("error:"), escapeControls(msg))
	for _, h := range hints {
		fmt.Fprintf(e.stderr, "amfcall: %s %s\n", cyan.Sprint("hint:"), escapeControls(h))
	}
	return code
}

// hintFlag finds the long flags a hint names.
var hintFlag = regexp.MustCompile(`(?:^|[\s(])--([a-z][a-z0-9-]*)`)

// ownHints drops the hints that name a flag the command that ran does not
// have: classify gives the hints of an error whatever the command, and
// "keep the reply's bytes with --save-response FILE" is call's alone. A
// hint that writes out a command line of its own ("amfcall convert
// FILE") is kept.
func (e *runEnv) ownHints(hints []string) []string {
	if e.ran == nil {
		return hints
	}
	var out []string
	for _, h := range hints {
		if e.ranVerbose > 0 {
			// Given -v, the trace is above the error: say so, rather
			// than "see it with -v" to a user who just did.
			h = strings.Replace(h, "see what was sent with -v", "the trace above shows what was sent", 1)
			h = strings.Replace(h, "see the reply with -v", "the trace above shows the reply", 1)
		}
		if e.ran.Name == "dump" {
			// inputHints' --from examples end in json, which dump
			// refuses ("dump reads AMF, not JSON"): its own instead.
			h = strings.ReplaceAll(h, ", json...)", ", sol, flv, socket...)")
		}
		keep := true
		if !strings.Contains(h, "amfcall ") {
			for _, m := range hintFlag.FindAllStringSubmatch(h, -1) {
				if m[1] != "help" && findFlag(e.ran.Flags, m[1]) == nil {
					keep = false
				}
			}
		}
		if keep {
			out = append(out, h)
		}
	}
	return out
}

// terminalText keeps text that a gateway or a file said on one line with
// no control or format characters (C0, DEL, C1, bidi): newlines and tabs
// become spaces, the rest '?'. Listings and debug lines use it; error
// messages, which may span lines, use escapeControls.
func terminalText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case !unicode.IsPrint(r) && r != ' ':
			return '?'
		}
		return r
	}, s)
}

// escapeControls writes the control and format characters of an error
// message (C0 but newline and tab, DEL, C1, bidi controls) as escapes:
// messages quote what gateways, files and servers said, and none of it
// may drive the terminal. The libraries escape what they quote; this is
// the last line of defence.
func escapeControls(s string) string {
	bad := func(r rune) bool {
		return r != '\n' && r != '\t' && r != ' ' && (r == utf8.RuneError || !unicode.IsPrint(r))
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case bad(r) && (r < 0x20 || r == 0x7f):
			// \x07, not Go's \a: as the libraries' safetext writes
			// C0 controls, so that one byte reads the same everywhere.
			fmt.Fprintf(&b, `\x%02x`, r)
		case bad(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// colorFromArgs finds the last --color value in args, for errors met
// before the flags are parsed.
func colorFromArgs(args []string) string {
	mode := ""
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--color="); ok {
			mode = v
		} else if a == "--color" && i+1 < len(args) {
			mode = args[i+1]
		}
	}
	return mode
}

// onceLog writes each distinct line the standard logger gives it once,
// and says once that repeats are left out; it remembers at most
// maxOnceLog lines, and passes the lines past them on as they come.
type onceLog struct {
	w      io.Writer
	mu     sync.Mutex
	seen   map[string]bool
	repeat bool // the note about repeats is written
	// kinds counts the lines written by kind (warnKindOf: lines that
	// differ only in their numbers and quoted parts): a gateway that
	// sent other bytes past each reply's end had bench write a line
	// for each request (9,133 in 2 s). At most maxLogKind of a kind
	// are written, and a note once (more).
	kinds map[string]int
	more  bool
}

const (
	maxOnceLog = 64
	maxLogKind = 4
)

func (l *onceLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := string(p)
	if l.seen[line] {
		if !l.repeat {
			l.repeat = true
			fmt.Fprintln(l.w, "amfcall: warning: net/http: (warnings repeated word for word are not shown again)")
		}
		return len(p), nil
	}
	if l.seen == nil {
		l.seen = make(map[string]bool)
		l.kinds = make(map[string]int)
	}
	k := warnKindOf(line)
	// (Kinds are counted whether or not seen has room: counted only
	// while it had, a kind new after 64 lines was never bounded.)
	n, known := l.kinds[k]
	if n >= maxLogKind || !known && len(l.kinds) >= maxOnceLog {
		if !l.more {
			l.more = true
			fmt.Fprintf(l.w, "amfcall: warning: net/http: (more warnings like the last, differing only in the bytes quoted, are not shown)\n")
		}
		return len(p), nil
	}
	l.kinds[k] = n + 1
	if len(l.seen) < maxOnceLog {
		l.seen[line] = true
	}
	return l.w.Write(p)
}
