package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/discover"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/textcut"
)

// Flex RemoteObject and messaging: call's destination mode (its flags
// and the helpers call uses), and the logout, publish and subscribe
// commands.

const catFlex = "FLEX"

// The flags call adds for Flex.
var (
	destinationFlag = &cli.StringFlag{Name: "destination", Category: catFlex,
		Usage: "call the Flex RemoteObject destination `DEST`: ping for the DSId (or log in with -u), then send a RemotingMessage; TARGET is then the OPERATION"}
	sourceFlag = &cli.StringFlag{Name: "source", Category: catFlex,
		Usage: "set the RemotingMessage's source to `CLASS`: AMFPHP and others route by source, BlazeDS, PyAMF and GraniteDS by destination"}
	remoteUserFlag = &cli.StringFlag{Name: "remote-user", Category: catFlex,
		Usage: "send the destination's own credentials `USER:PASSWORD` (the DSRemoteCredentials header)"}
	endpointFlag = &cli.StringFlag{Name: "endpoint", Category: catFlex, DefaultText: "my-amf, or the session's",
		Usage: "send the channel endpoint id `NAME` as the DSEndpoint header (as services-config.xml names it: my-amf, my-secure-amf, my-polling-amf...); --session remembers it"}
)

// readEndpoint reads --endpoint into cfg; not given, the session's (or
// my-amf) is used.
func readEndpoint(c *cli.Context, cfg *client.Config) error {
	if !c.IsSet("endpoint") {
		return nil
	}
	e := c.String("endpoint")
	if strings.TrimSpace(e) == "" {
		return usageErrorf("--endpoint needs an endpoint id").hint("for example --endpoint my-secure-amf, as the gateway's services-config.xml names its channels")
	}
	cfg.FlexEndpoint = e
	return nil
}

// flexFlags are the Flex settings of one call.
type flexFlags struct {
	source      string
	destination bool // --destination: TARGET was the operation alone
}

// readFlexFlags reads --destination, --source and --remote-user into s
// (after the other flags): in destination mode TARGET is the operation;
// with --flex or --destination, -u logs in with a Flex login instead of
// sending the Credentials header.
func readFlexFlags(c *cli.Context, s *callSettings) error {
	dest, destSet := c.String("destination"), c.IsSet("destination")
	source, remote := c.String("source"), c.String("remote-user")
	switch {
	case destSet && dest == "":
		return usageErrorf("--destination needs a destination name").hint("for example --destination echoService")
	case destSet && s.batch != "":
		return usageErrorf("--destination can't be used with --batch").
			hint(`use --flex and write each target as "DEST.OPERATION" in the batch file`)
	}
	if destSet {
		if strings.Contains(s.target, ".") {
			return usageErrorf("--destination %s: the operation %q has a dot", dest, s.target).
				hint(`with --destination give the method name only, e.g. "echo"; or use --flex with "DEST.OPERATION"`)
		}
		s.target = dest + "." + s.target
		s.cfg.Flex = true
	}
	if s.cfg.Flex && !destSet && source == "" && s.target != "" && !strings.Contains(s.target, ".") {
		// A RemotingMessage to no destination: no gateway that routes
		// by destination answers it but "unknown method".
		return usageErrorf("--flex %s: want DESTINATION.OPERATION", s.target).
			hint(fmt.Sprintf(`name the destination: --flex URL DEST.%s, or --destination DEST URL %s`, s.target, s.target))
	}
	if !s.cfg.Flex {
		if c.IsSet("endpoint") {
			return usageErrorf("--endpoint needs --destination (or --flex)").hint("it is the DSEndpoint header of Flex messages; plain calls have none")
		}
		for _, f := range []struct{ name, v string }{{"--source", source}, {"--remote-user", remote}} {
			if f.v != "" {
				return usageErrorf("%s needs --destination (or --flex)", f.name).hint("it is a field of the Flex RemotingMessage")
			}
		}
		return nil
	}
	s.cfg.FlexSource = source
	if err := readEndpoint(c, &s.cfg); err != nil {
		return err
	}
	if remote != "" {
		name, pass, ok := strings.Cut(remote, ":")
		if !ok || name == "" {
			return usageErrorf("--remote-user wants USER:PASSWORD").hint("for example --remote-user bob:secret")
		}
		s.cfg.FlexRemoteUser, s.cfg.FlexRemotePassword = name, pass
	}
	if s.user != nil {
		s.cfg.FlexUser, s.cfg.FlexPassword = s.user[0], s.user[1]
		s.user = nil
	}
	s.flex = &flexFlags{source: source, destination: c.IsSet("destination")}
	return nil
}

// flexHint adds to a Flex call's "not found" fault the hint to route the
// other way.
func flexHint(s *callSettings, err error) error {
	var f *client.Fault
	if !errors.As(err, &f) {
		return err
	}
	if s.flex == nil {
		return targetHint(s, f, err)
	}
	err = withRootCause(err, f)
	if f.IsAuthentication() && s.cfg.FlexUser == "" && s.cfg.FlexRemoteUser != "" {
		return withHint(err, "the gateway refused the credentials: check --remote-user USER:PASSWORD, or log in with -u USER:PASSWORD")
	}
	if f.IsAuthentication() {
		return loginHint(err, s.cfg.FlexUser != "", s.sessionUser, s.session)
	}
	if isMethodNotFound(f) && strings.Contains(s.target, ".") {
		return methodHint(s, err)
	}
	if !f.IsNotFound() {
		return err
	}
	if s.flex.source == "" && isBlazeDSNoDestination(f) {
		// BlazeDS's own words: it routes by destination only, so
		// --source (AMFPHP's way) is no way out there.
		dest, _ := splitTarget(s.target)
		return nearDestinationHint(s, err).hint("the gateway (BlazeDS or LiveCycle DS, by its words) has no RemoteObject destination " + oneLineText(dest) +
			": its destinations are the <destination id=...> of remoting-config.xml (a destination of messaging-config.xml is for publish and subscribe); --source does not help there, as BlazeDS routes by destination")
	}
	if s.flex.source == "" {
		return nearDestinationHint(s, err).hint("gateways such as AMFPHP route Flex calls by source (the service class), not destination: try --source CLASS")
	}
	return withHint(err, "gateways such as BlazeDS, PyAMF and GraniteDS route by destination: try without --source, with the service as --destination")
}

// isBlazeDSNoDestination reports whether a fault is BlazeDS's (and
// LiveCycle DS's) for a destination it does not have: "No destination
// with id 'x' is registered with any service."
func isBlazeDSNoDestination(f *client.Fault) bool {
	return strings.Contains(strings.ToLower(f.Description), "no destination with id")
}

// splitTarget splits a Flex call's DEST.OPERATION at its last dot.
func splitTarget(target string) (dest, op string) {
	i := strings.LastIndexByte(target, '.')
	if i < 0 {
		return "", target
	}
	return target[:i], target[i+1:]
}

// maxCauses bounds the causes rootCauseText follows, and maxCauseText
// the text of each.
const (
	maxCauses    = 4
	maxCauseText = 160
)

// rootCauseText names the classes (with their messages) of a Flex
// fault's rootCause and the causes under it ("cause", as BlazeDS writes
// a Java Throwable): "java.lang.IllegalStateException: no pool (caused
// by java.sql.SQLException: refused)". Plain JSON, which has no class
// names, printed such a rootCause as {"cause":null,"localizedMessage":
// null,"message":null}: a NullPointerException, the most common root
// cause of "There was an unhandled failure on the server.", said
// nothing at all. "" when the rootCause is no typed object (PyAMF's and
// amfcall serve's are anonymous, and show their name in the JSON).
//
// said is true when the faultString names the rootCause itself, and text
// starts at the rootCause's own cause.
func rootCauseText(f *client.Fault) (text string, said bool) {
	o, _ := amf.Unwrap(f.Value).(*amf.Object)
	if o == nil {
		return "", false
	}
	v, _ := o.Get("rootCause")
	var parts []string
	seen := map[*amf.Object]bool{}
	for i := 0; ; i++ {
		x, ok := amf.Unwrap(v).(*amf.Object)
		if !ok || x.Class == "" || seen[x] || amf.IsExternalizable(x.Class) {
			break
		}
		if i == maxCauses {
			// More causes follow: said as such, not as the end of the
			// chain (a hostile reply's 500 causes read as 4 before).
			parts = append(parts, "...")
			break
		}
		seen[x] = true
		v, _ = x.Get("cause")
		text, msg := x.Class, ""
		if m, ok := x.Get("message"); ok {
			if m, ok := amf.Unwrap(m).(string); ok && m != "" {
				text, msg = text+": "+m, m
			}
		}
		if len(parts) == 0 && strings.Contains(f.Description, x.Class) && strings.Contains(f.Description, msg) {
			// BlazeDS's faultString says it already
			// ("java.lang.IllegalArgumentException : Bad id").
			said = true
			continue
		}
		// On one line; control and format characters (ESC, bidi
		// marks) are left to the error line's escapes, which read back
		// as the bytes (\x1b, \u202e) as the faultString's do, where
		// a lossy '?' named another class (sec17).
		parts = append(parts, textcut.Cut(strings.Join(strings.Fields(text), " "), maxCauseText))
	}
	return strings.Join(parts, " (caused by "), said
}

// causeError is a Flex fault's error with its root cause said after it.
type causeError struct {
	err   error
	cause string
	said  bool // the fault's text names the root cause: cause is its cause
}

func (e *causeError) Error() string {
	if e.said {
		return e.err.Error() + "; caused by " + e.cause
	}
	return e.err.Error() + "; root cause: " + e.cause
}
func (e *causeError) Unwrap() error { return e.err }

// withRootCause adds to the error of fault f the classes of its
// rootCause chain, when there are some (rootCauseText).
func withRootCause(err error, f *client.Fault) error {
	text, said := rootCauseText(f)
	if text == "" {
		return err
	}
	if n := strings.Count(text, " (caused by "); n > 0 {
		text += strings.Repeat(")", n)
	}
	return &causeError{err: err, cause: text, said: said}
}

// targetHint adds to a remoting call's fault that names an unknown
// service or method where to look for the right name.
func targetHint(s *callSettings, f *client.Fault, err error) error {
	// com.example.Service.method; the hint is a command line: no
	// password in the URL.
	dotted := strings.LastIndexByte(s.target, '.') > 0
	gw := shellWord(redactURL(s.gateway)) // a command line: a shell word, with no password in it
	switch {
	case f.IsAuthentication():
		return authHint(f, s.user != nil, err)
	case f.IsNotFound():
		return nearTargetHint(s, err).hint("amfcall list " + gw + " shows the services the gateway's discovery service offers; amfcall probe --wordlist FILE " + gw + " guesses names")
	case dotted && isMethodNotFound(f):
		return methodHint(s, err)
	case isMethodNotFound(f):
		// A method called without a service (getSnapshots, login):
		// the gateway's top-level names are in its listing too.
		return nearTargetHint(s, err).hint("amfcall list " + gw + " shows the services and methods the gateway's discovery service offers")
	}
	return err
}

// nearDestinationHint adds to a Flex call's "not found" fault the
// destination nearest to the one called among the services "amfcall
// list" last found at this gateway, when one is near enough to be a
// typo: --destination ehco gets echo (before, only the hint to route by
// --source, which is for AMFPHP).
func nearDestinationHint(s *callSettings, err error) *exitError {
	code, hints := classify(err)
	ee := &exitError{code: code, err: err, hints: slicesClone(hints)}
	i := strings.LastIndexByte(s.target, '.')
	if i <= 0 {
		return ee
	}
	dest, op := s.target[:i], s.target[i+1:]
	var services []string
	for _, t := range discover.CachedTargets(s.gateway) {
		if j := strings.LastIndexByte(t, '.'); j > 0 && t[:j] != dest && !slices.Contains(services, t[:j]) {
			services = append(services, t[:j])
		}
	}
	near := suggest(dest, services)
	if near == "" {
		return ee
	}
	if s.flex.destination {
		return ee.hint("did you mean --destination " + oneLineText(near) + "? (amfcall list found it at this gateway)")
	}
	return ee.hint("did you mean " + oneLineText(near+"."+op) + "? (amfcall list found it at this gateway)")
}

// nearTargetHint adds to a fault that names an unknown service, or a
// method called without a service, the target nearest to the one called
// among those "amfcall list" last found at this gateway (kept for shell
// completion; never the network), when one is near enough to be a typo:
// "getSnapshot" gets getSnapshots, "ech.echo" echo.echo.
func nearTargetHint(s *callSettings, err error) *exitError {
	if near := nearTarget(s.gateway, s.target); near != "" {
		return withHint(err, "did you mean "+oneLineText(near)+"? (amfcall list found it at this gateway)")
	}
	code, hints := classify(err)
	return &exitError{code: code, err: err, hints: slicesClone(hints)}
}

// nearTarget is the target nearest to target among those "amfcall list"
// last found at gateway, when one is near enough to be a typo, else "".
func nearTarget(gateway, target string) string {
	var targets []string
	for _, t := range discover.CachedTargets(gateway) {
		if t != target {
			targets = append(targets, t)
		}
	}
	return suggest(target, targets)
}

// isMethodNotFound reports whether a fault says the service was found
// but not the method.
func isMethodNotFound(f *client.Fault) bool {
	what := strings.ToLower(f.Code + " " + f.Description)
	return strings.Contains(what, "methodnotfound") || strings.Contains(what, "method not found") || strings.Contains(what, "unknown method")
}

// methodHint is the hint of a fault that says the service has no such
// method: the service's method nearest to the one called, among those
// "amfcall list" last found at this gateway (the names kept for shell
// completion; never the network), when one is near enough to be a typo;
// then where to see them all.
func methodHint(s *callSettings, err error) error {
	i := strings.LastIndexByte(s.target, '.')
	service, method := s.target[:i], s.target[i+1:]
	gw := shellWord(redactURL(s.gateway)) // the hint is a command line: a shell word, with no password in it
	describe := "amfcall list " + gw + " shows the services' methods, where the gateway says"
	if w, ok := hintWord(service); ok {
		describe = "amfcall describe " + gw + " " + w + " shows the service's methods, where the gateway says"
	}
	var methods []string
	for _, t := range discover.CachedTargets(s.gateway) {
		if j := strings.LastIndexByte(t, '.'); j > 0 && t[:j] == service && t[j+1:] != method {
			methods = append(methods, t[j+1:])
		}
	}
	near := suggest(method, methods)
	if near == "" {
		return withHint(err, describe)
	}
	name := oneLineText(service + "." + near)
	if s.flex != nil && s.flex.destination {
		name = "the operation " + oneLineText(near)
	}
	return withHint(err, "did you mean "+name+"? (amfcall list found it at this gateway)").hint(describe)
}

// loginHint adds to an authentication fault how to log in, or that the
// login given was refused.
//
// sessionUser is the user of the Flex login that the --session file
// session holds, when no -u was given: a gateway that restarted, or whose
// login timed out (BlazeDS's HTTP session, 30 minutes by default), asks
// for a login again, and "add -u ... (with --session FILE, later calls
// stay logged in)" was then what the user had done.
func loginHint(err error, loggedIn bool, sessionUser, session string) error {
	var f *client.Fault
	if !errors.As(err, &f) || !f.IsAuthentication() {
		return err
	}
	if loggedIn {
		return withHint(err, "the gateway refused the login: check the user name and password given with -u")
	}
	if sessionUser != "" && session != "" {
		return withHint(err, fmt.Sprintf("the session %s holds a login as %s that the gateway no longer knows (it restarted, or the login timed out): log in again with -u %s and the same --session",
			shellWord(session), shellWord(sessionUser), shellWord(sessionUser)))
	}
	if session != "" {
		// --session was given, and holds no login (a logout ended it,
		// or none was made with it): "with --session FILE" was what
		// the user had done.
		return withHint(err, fmt.Sprintf("the destination wants a login, and the session %s holds none (none was made with it, or a logout ended it): add -u USER:PASSWORD with the same --session %s, and later calls with it stay logged in",
			shellWord(session), shellWord(session)))
	}
	return withHint(err, "the destination wants a login: add -u USER:PASSWORD (with --session FILE, later calls stay logged in)")
}

// The HTTP flags of the Flex commands are call's own.
func flexCommandFlags(extra ...cli.Flag) []cli.Flag {
	flags := slices.Clone(extra)
	flags = append(flags, &cli.StringFlag{Name: "user", Aliases: []string{"u"}, Category: catFlex,
		Usage: "log in first with a Flex login (CommandMessage operation 8) as `USER[:PASSWORD]`; with no :PASSWORD, from $AMFCALL_PASSWORD, else asked for on the terminal"}, endpointFlag)
	for _, name := range []string{"header", "user-agent", "referer", "session", "timeout", "connect-timeout", "idle-timeout", "insecure", "cacert", "proxy", "location-trusted", "max-response-size"} {
		if f := findFlag(callCommand.Flags, name); f != nil {
			flags = append(flags, f)
		}
	}
	return append(flags, verboseFlag("print each request and reply packet (ping, login, messages) as typed JSON on stderr; -vv adds the HTTP headers and timings"))
}

var logoutCommand = &cli.Command{
	Name:      "logout",
	Usage:     "log out of a Flex gateway (CommandMessage operation 9)",
	ArgsUsage: "URL",
	Description: `Sends a Flex logout for the DSId of the session, so that the login that
"amfcall call --destination DEST -u USER:PASSWORD --session FILE" made
ends. Without --session there is nothing to log out of but a new DSId;
a --session FILE that does not exist (a misspelt name) is a usage error
(exit 2), and nothing is sent.

Example:

  amfcall call --session s.json -u alice:wonderland --destination secure $URL whoami
  amfcall call --session s.json --destination secure $URL whoami
  amfcall logout --session s.json $URL`,
	Flags:  flexCommandFlags(),
	Action: runLogout,
}

var publishCommand = &cli.Command{
	Name:      "publish",
	Usage:     "send a message to a Flex messaging destination, as a Producer does",
	ArgsUsage: "URL DEST BODY",
	Description: `Sends BODY (one JSON value, typed JSON accepted; "-" reads it from
stdin; "@FILE" sends the bytes of FILE as a ByteArray) to the messaging
destination DEST as a Flex AsyncMessage, and exits with 0 once the
gateway acknowledges it. An ErrorMessage is printed as JSON on stdout,
exit status 1.

Examples:

  amfcall publish $URL chat '{"from": "ann", "text": "hello"}'
  jq -c .message event.json | amfcall publish $URL chat -
  amfcall publish --subtopic room1 --message-header 'from="ann"' $URL chat '"hi"'
  amfcall publish --priority 9 $URL alerts '"disk full"'`,
	Flags: flexCommandFlags(
		&cli.StringFlag{Name: "subtopic", Category: catFlex, Usage: "publish to the subtopic `NAME` of the destination"},
		&cli.IntFlag{Name: "priority", Category: catFlex, DefaultText: "none sent: the gateway's", Usage: "send the message at priority `N`, 0 to 9 (Flex's DSPriority header; a Producer's default is 4)"},
		&repeatFlag{cli.StringFlag{Name: "message-header", Category: catFlex,
			Usage: "add the message header `NAME=JSON` (repeatable; -H sets HTTP headers; names starting with DS are Flex's own)"}},
	),
	Action: runPublish,
}

var subscribeCommand = &cli.Command{
	Name:      "subscribe",
	Usage:     "print the messages of a Flex messaging destination as they arrive, as a Consumer does",
	ArgsUsage: "URL DEST",
	Description: `Subscribes to the messaging destination DEST, then polls the gateway every
--interval (default: what the gateway asks for with DSPollWait, else 3s)
and prints each message as one JSON line on stdout as it arrives:
{"destination", "subtopic", "messageId", "timestamp", "headers", "body"}
(and "priority" after "subtopic" when the message has one, DSPriority).
It stops on Ctrl-C, after --count messages or after --for, and
unsubscribes on the way out: exit status 0 (a Ctrl-C or SIGTERM before
the subscription is made, or while the gateway does not answer, is 130
or 143, as for any command interrupted: nothing was received). When
--for is over, a poll under way is given 5s more for its reply to start
(a reply that has started is read to its end, within --timeout), or it
polls once more, so that what was sent within --for is printed. When
stdout's reader goes away ("| head -1"), it unsubscribes at the next
message, then ends as a broken pipe ends a program (SIGPIPE, the shell's
status 141).

A gateway that stops answering (restarted or out of reach: connection
refused or reset, an HTTP 5xx) is tried again with backoff (0.5s, or
--interval when shorter, doubling to 2s apart) for up to --retry-for
(default 2 minutes; then exit status 3, as when --for ends meanwhile;
--retry-for 0 exits 3 at the first such failure), with a warning when it
goes and one when it comes back. Once it answers, its answer to the poll
tells what it kept: a gateway that restarted lost the subscription and
what it had queued (it answers the fault
Server.Processing.NotSubscribed, as BlazeDS does, or as a new Flex
client): subscribe subscribes again (and logs in again with -u), and the
warning says between which instants what was published may be lost (from
the last poll answered before the outage to the new subscription). A
gateway that was only out of reach kept it: what it queued meanwhile is
printed. Ctrl-C while the gateway does not answer exits 130 at once,
saying since when nothing was received. A subscription the gateway ends
or forgets while it answers (CommandMessage operation 10 in a poll
reply; a poll answered Server.Processing.NotSubscribed) is made again
too, with the same warning. A poll held past --timeout (a long-polling
channel holds one until a message comes) is sent again, unless the
gateway answered the earlier polls with nothing in less than half that
time and does not answer a Flex ping either (it stopped answering):
that is an outage, as is a poll that could
not connect within --timeout or --connect-timeout (a firewall that
drops the packets).

Each kind of warning (a string that is not UTF-8, an odd poll reply) is
told once, at its first message; when subscribe ends, one line a kind
says how many more came.

A poll answered with a fault (a Flex ErrorMessage) stops it, exit status
1: the fault's JSON, as call prints one ({"faultCode", "faultString",
...}, whatever -q says), is the last line on stdout, and stderr says
after how many messages it came.

Examples:

  amfcall subscribe $URL chat                       # until Ctrl-C
  amfcall subscribe --count 1 --for 30s $URL chat -q body`,
	Flags: append(flexCommandFlags(
		&cli.StringFlag{Name: "subtopic", Category: catFlex, Usage: "receive only the subtopic `NAME` of the destination"},
		&cli.StringFlag{Name: "selector", Category: catFlex, Usage: "send the message selector `EXPR` (the gateway filters with it)"},
		&cli.StringFlag{Name: "interval", Category: catFlex, DefaultText: "DSPollWait, else 3s", Usage: "poll every `DURATION` (at least 10ms)"},
		&cli.IntFlag{Name: "count", Category: catFlex, DefaultText: "no limit", Usage: "stop after `N` messages"},
		&cli.StringFlag{Name: "for", Category: catFlex, Usage: "stop after `DURATION`"},
		&cli.StringFlag{Name: "retry-for", Category: catFlex, DefaultText: "2m",
			Usage: "try a gateway that stops answering (refused, reset, HTTP 5xx, no connection made) again for up to `DURATION`, then exit 3; 0 exits 3 at the first such failure"},
		&cli.StringFlag{Name: "query", Aliases: []string{"q"}, Category: catOutput,
			Usage: "print only the part of each message at gjson `PATH` (e.g. body, body.text; a path that matches nothing prints null)"},
		&cli.BoolFlag{Name: "raw", Aliases: []string{"r"}, Category: catOutput, DisableDefaultText: true,
			Usage: "print a string as raw text, without JSON quotes; anything else stays JSON, an array of strings too (one line a message); on a terminal, control characters are escaped"},
	), lineJSONFlags(jsonFlags())...),
	Action: runSubscribe,
}

// flexRun is the client of one Flex command and its session file.
type flexRun struct {
	c       *cli.Context
	cl      *client.Client
	session string
	// sessionUser is the Flex login the session file held (loginHint).
	sessionUser string
	// trace holds the last reply's bytes, which size the bounds of a
	// message's JSON (replyLimits).
	trace *client.TraceHandler
}

// newFlexRun reads the HTTP flags and -u, makes the client for the
// gateway and loads the session.
func newFlexRun(c *cli.Context, gateway string) (*flexRun, error) {
	cfg, err := httpConfig(c)
	if err != nil {
		return nil, err
	}
	cfg.Flex = true
	if err := readEndpoint(c, &cfg); err != nil {
		return nil, err
	}
	user, err := readUser(c)
	if err != nil {
		return nil, err
	}
	if user != nil {
		cfg.FlexUser, cfg.FlexPassword = user[0], user[1]
	}
	session := c.String("session")
	if err := checkOutputPath("--session", session); err != nil {
		return nil, err
	}
	trace := newTrace(c, verbosity(c))
	cfg.Events = trace
	cl, err := client.New(gateway, cfg)
	if err != nil {
		return nil, gatewayURLError(c, err, gateway)
	}
	if session != "" {
		if err := sessionWrittenBack(session); err != nil {
			return nil, err
		}
		data, err := readSessionFile(c, session)
		if err != nil {
			return nil, err
		}
		if len(data) > 0 { // a missing or empty file: a new session
			if err := cl.LoadSession(data); err != nil {
				return nil, fmt.Errorf("--session %s: %w", session, err)
			}
		}
	}
	return &flexRun{c: c, cl: cl, session: session, sessionUser: cl.FlexUser(), trace: trace}, nil
}

// finish saves the session whatever the outcome, and returns err (or the
// session's error).
func (r *flexRun) finish(err error) error {
	if r.session == "" {
		return err
	}
	serr := saveSession(r.c, r.cl, r.session)
	if err != nil {
		if serr != nil {
			warnf(r.c, "%v", serr)
		}
		return err
	}
	return serr
}

// flexArgs splits the positional arguments into the gateway URL (or
// AMFCALL_URL when the first one is not a URL) and the others, named by
// names.
func flexArgs(c *cli.Context, names ...string) (string, []string, error) {
	n := len(names)
	args := c.Args().Slice()
	gateway := envOf(c).getenv("AMFCALL_URL")
	if len(args) > 0 && isGatewayArg(args[0], gateway != "") {
		gateway, args = args[0], args[1:]
	}
	usage := strings.TrimSpace(fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage))
	switch {
	case gateway == "" && len(args) > n:
		// One argument too many for no URL: the first was meant as it.
		return "", nil, usageErrorf("%s: %q is not a gateway URL", c.Command.HelpName, args[0]).hint(usage).
			hint("the URL starts with http:// or https://, e.g. http://localhost:8000/gateway")
	case gateway == "":
		if err := flagTookArgument(c, "URL"); err != nil {
			return "", nil, err
		}
		return "", nil, usageErrorf("%s: missing URL", c.Command.HelpName).hint(usage).
			hint("the URL starts with http:// or https://; AMFCALL_URL gives a default")
	case len(args) < n:
		return "", nil, usageErrorf("%s: missing %s", c.Command.HelpName, strings.Join(names[len(args):], " and ")).hint(usage)
	case len(args) > n:
		return "", nil, usageErrorf("%s: too many arguments (got %s)", c.Command.HelpName, quoteList(args[n:], 3)).hint(usage)
	}
	return gateway, args, nil
}

// printFlexFault prints an ErrorMessage's fault fields as JSON on stdout.
func printFlexFault(c *cli.Context, err error) error {
	var f *client.Fault
	if !errors.As(err, &f) {
		return err
	}
	err = withRootCause(err, f)
	out, opts, oerr := jsonOutput(c)
	if oerr != nil {
		return oerr
	}
	oerr = printCallValue(out, opts, &callSettings{}, amf.Unwrap(f.Value), false)
	return errors.Join(err, oerr)
}

func runLogout(c *cli.Context) error {
	setColor(c)
	gateway, _, err := flexArgs(c)
	if err != nil {
		return err
	}
	r, err := newFlexRun(c, gateway)
	if err != nil {
		return err
	}
	if err := checkLogoutSession(r.session); err != nil {
		return err
	}
	// Ctrl-C stops it as it stops call: at once, status 130, no message
	// (not "connection failed: cancelled").
	ctx := c.Context
	user := r.cl.FlexUser()
	if r.cl.DSId() == "nil" {
		why := "no --session FILE from a login"
		_, serr := os.Stat(r.session)
		switch {
		case r.session != "" && errors.Is(serr, fs.ErrNotExist):
			// Removed since checkLogoutSession: write none.
			why = "there is no file " + r.session
			r.session = ""
		case r.session != "":
			why = "the session " + r.session + " holds none: it is new or empty, or no Flex call was made with it"
		}
		warnf(c, "no DSId is known (%s): this logs out a new Flex client only", why)
	}
	err = r.cl.FlexLogout(ctx)
	if err == nil && verbosity(c) > 0 {
		if user != "" {
			infof(c, "logged out %s (DSId %s)", user, r.cl.DSId())
		} else {
			infof(c, "logged out (DSId %s)", r.cl.DSId())
		}
	}
	return r.finish(printFlexFault(c, err))
}

// checkLogoutSession refuses logout --session FILE when there is no
// FILE: a misspelt name. The logout went out for a new Flex client,
// exit 0 with a warning, while the session the user meant stayed logged
// in: a script that logs out at its end never learnt. The hint names a
// file of the folder whose name is near, when one is.
func checkLogoutSession(session string) error {
	if session == "" {
		return nil
	}
	if _, err := os.Lstat(session); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	err := usageErrorf("logout --session %s: there is no such file, so no login to end", session)
	dir, base := filepath.Split(session)
	var names []string
	if entries, rerr := os.ReadDir(filepath.Join(dir, ".")); rerr == nil && len(entries) <= 10000 {
		for _, e := range entries {
			if e.Type().IsRegular() {
				names = append(names, e.Name())
			}
		}
	}
	if near := suggest(base, names); near != "" {
		if w, ok := hintWord(dir + near); ok {
			return err.hint("did you mean --session " + w + "? (nothing was sent)")
		}
	}
	return err.hint("give the file that the call with -u and --session wrote (nothing was sent)")
}

func runPublish(c *cli.Context) error {
	setColor(c)
	gateway, args, err := flexArgs(c, "DEST", "BODY")
	if err != nil {
		return err
	}
	dest, text := args[0], args[1]
	if dest == "" {
		return usageErrorf("publish: DEST is empty").hint("name the messaging destination, e.g. chat")
	}
	if err := checkSubtopic(c); err != nil {
		return err
	}
	var body any
	if name, ok := strings.CutPrefix(text, "@"); ok {
		data, _, err := readInputFor(c, "BODY", name, "use @- for stdin")
		if err != nil {
			return err
		}
		body = &amf.ByteArray{Data: data}
	} else {
		what, js := "BODY", []byte(text)
		if text == "-" {
			// The JSON from stdin, as convert and -d - read it.
			what = "BODY (stdin)"
			if js, _, err = readInputFor(c, "BODY", "-", ""); err != nil {
				return err
			}
		}
		if body, err = convert.FromJSONWarnIn(js, amf.AMF3, func(m string) { warnf(c, "%s: %s", what, m) }); err != nil {
			if text == "-" {
				return fmt.Errorf("%s: %w", what, err)
			}
			return jsonHint(fmt.Errorf("%s: %w", what, err), text)
		}
		if err := valueEncodes(body, amf.AMF3, true, js); err != nil {
			return fmt.Errorf("%s: %w", what, err) // its line and column
		}
	}
	var headers []amf.Member
	for _, h := range repeated(c, "message-header") {
		name, js, ok := strings.Cut(h, "=")
		if !ok || name == "" {
			return usageErrorf("--message-header %q: want NAME=JSON", h).hint(`for example --message-header 'from="ann"'`)
		}
		if strings.HasPrefix(name, "DS") {
			// Flex's own (DSId, DSEndpoint, DSSubtopic...): amfcall
			// sets them, and a second DSId member went out beside
			// its own; a DSSubtopic went round --subtopic's checks.
			return usageErrorf("--message-header %s: names that start with DS are Flex's own headers, which amfcall sets", name).
				hint("use --subtopic for DSSubtopic, --priority for DSPriority, --session for the DSId, --endpoint for DSEndpoint")
		}
		v, err := convert.FromJSONWarnIn([]byte(js), amf.AMF3, func(m string) { warnf(c, "--message-header %s: %s", name, m) })
		if err != nil {
			return jsonHint(fmt.Errorf("--message-header %s: %w", name, err), js)
		}
		if err := valueEncodes(v, amf.AMF3, true, []byte(js)); err != nil {
			return fmt.Errorf("--message-header %s: %w", name, err)
		}
		headers = append(headers, amf.Member{Name: name, Value: v})
	}
	if c.IsSet("priority") {
		p := c.Int("priority")
		if p < 0 || p > 9 {
			return usageErrorf("--priority %d: a Flex message's priority is 0 to 9", p).hint("4 is a Producer's default; 9 the most urgent")
		}
		headers = append(headers, amf.Member{Name: "DSPriority", Value: amf.Int(p)})
	}
	r, err := newFlexRun(c, gateway)
	if err != nil {
		return err
	}
	ctx := c.Context // catchInterrupt: Ctrl-C stops it as it stops call
	ack, err := r.cl.Publish(ctx, dest, c.String("subtopic"), body, headers)
	if err == nil && verbosity(c) > 0 {
		infof(c, "published to %s; acknowledged (correlationId %v)", dest, amf.FlexField(ack, "correlationId"))
	}
	err = loginHint(err, c.IsSet("user"), r.sessionUser, r.session)
	err = messagingDestHint(err, dest)
	return r.finish(printFlexFault(c, err))
}

// messagingDestHint adds to a fault that says the gateway knows no such
// destination (BlazeDS: "No destination with id 'x' is registered with
// any service.") where messaging destinations come from: a RemoteObject
// destination that call reaches is no messaging destination. It said
// the fault alone.
func messagingDestHint(err error, dest string) error {
	var f *client.Fault
	if !errors.As(err, &f) || f.IsAuthentication() || !f.IsNotFound() {
		return err
	}
	return withHint(err, "the gateway has no messaging destination "+oneLineText(dest)+
		": publish and subscribe reach those of its messaging-config.xml (BlazeDS's, a MessageService's), not the RemoteObject destinations of remoting-config.xml that call reaches; check the name")
}

// subscribeStarted, when set (by tests), gets the function that
// interrupts subscribe as Ctrl-C does, once its signals are caught.
var subscribeStarted func(interrupt func(os.Signal))

// subscribeGrace is how long after --for a poll waits for its reply to
// start (zero: the client's default); tests shorten it.
var subscribeGrace time.Duration

// minPollInterval is the shortest subscribe --interval.
const minPollInterval = 10 * time.Millisecond

func runSubscribe(c *cli.Context) error {
	setColor(c)
	gateway, args, err := flexArgs(c, "DEST")
	if err != nil {
		return err
	}
	dest := args[0]
	if dest == "" {
		return usageErrorf("subscribe: DEST is empty").hint("name the messaging destination, e.g. chat")
	}
	if err := checkSubtopic(c); err != nil {
		return err
	}
	if c.IsSet("selector") && strings.TrimSpace(c.String("selector")) == "" {
		// As an empty --subtopic: a variable left empty, most likely.
		// It was not sent, and every message of the destination came,
		// unfiltered, with no word.
		return usageErrorf("--selector is empty").
			hint(`give the selector expression, e.g. --selector "priority > 4", or leave --selector out for every message`)
	}
	var interval, limit time.Duration
	if v := c.String("interval"); v != "" {
		if interval, err = parseDuration(v); err != nil || interval <= 0 {
			return usageErrorf("--interval: invalid duration %q", v).hint("give a duration such as 3s or 500ms")
		}
		if interval < minPollInterval {
			// A shorter one is a busy loop of polls on the gateway.
			return usageErrorf("--interval %s is below the floor of %s", v, minPollInterval).hint("give a duration of 10ms or more, such as 3s or 500ms")
		}
	}
	if v := c.String("for"); v != "" {
		if limit, err = parseDuration(v); err != nil || limit <= 0 {
			return usageErrorf("--for: invalid duration %q", v).hint("give a duration such as 30s or 5m")
		}
	}
	outage := time.Duration(0) // client.DefaultMaxOutage
	if v := c.String("retry-for"); v != "" {
		if outage, err = parseDuration(v); err != nil {
			return usageErrorf("--retry-for: invalid duration %q", v).hint("give a duration such as 2m or 30s, or 0 to stop at the first failure")
		}
		if outage == 0 {
			outage = -1 // no retry
		}
	}
	count := c.Int("count")
	if count < 0 {
		return usageErrorf("--count: want a number of messages, got %d", count)
	}
	out, opts, err := jsonOutput(c)
	if err != nil {
		return err
	}
	if !c.Bool("pretty") {
		opts.Indent = "" // one line per message, unless asked
	}
	sel := &callSettings{query: c.String("query"), querySet: c.IsSet("query"), raw: c.Bool("raw"), rawTerminal: out.terminal(),
		maxOutSet: c.String("max-output") != "", lineEach: true}
	r, err := newFlexRun(c, gateway)
	if err != nil {
		return err
	}
	// Each message is converted on its own, so a warning about one (a
	// string that is not UTF-8, a cycle) came again for every message
	// like it, as did the client's about every poll reply like it: a
	// gateway sending a thousand such messages a poll printed a
	// thousand lines a poll. Each kind is told once, and counted.
	tally := &warnTally{warn: func(m string) { warnf(c, "%s", m) }}
	opts.Warn, r.trace.Warn = tally.add, func(n client.Notice) {
		switch n.Kind {
		case client.NoticeUnreachable:
			// Each outage and each return is news (with its own
			// instants): told every time, not once a kind.
			warnf(c, "%s (--retry-for)", n.Msg)
		case client.NoticeResubscribed:
			warnf(c, "%s", n.Msg)
		default:
			tally.add(noticeText(n))
		}
	}

	sigCtx, stop, interrupt := signalContext()
	defer stop()
	if subscribeStarted != nil {
		subscribeStarted(interrupt)
	}
	// A reader that goes away ("subscribe URL DEST | head -1"): SIGPIPE
	// ended the process at the next message's write, before it
	// unsubscribed, and the gateway kept the subscription, queueing its
	// messages, until it expired. With the signal caught the write
	// fails instead (EPIPE); the subscription is ended below, then the
	// process dies by SIGPIPE all the same (dieByBrokenPipe).
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	defer signal.Stop(pipe)
	ctx := sigCtx
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	sub, err := r.cl.Subscribe(ctx, dest, c.String("subtopic"), c.String("selector"))
	if err != nil {
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			// Not err's words: the client's "timed out ... no complete
			// reply within 30s" when --for's limit, not --timeout, cut
			// the request short.
			err = withCode(exitNetwork, fmt.Errorf("subscribe (%s): no subscription within --for %v: the gateway did not answer the subscribe request in that time", redactURL(r.cl.URL()), limit)).
				hint(fmt.Sprintf("raise --for; amfcall subscribe -vv --for %s %s %s shows each exchange (the ping, the subscribe) and where it stops",
					shellWord(c.String("for")), shellWord(redactURL(gateway)), shellWord(dest)))
		case ctx.Err() != nil:
			// Ctrl-C before the subscription was made: it ended with
			// status 0 and no word, as one that ends a subscription
			// does, so a script could not tell that nothing was
			// subscribed to (socket listen's Ctrl-C while connecting
			// is 130 likewise).
			// The client's error is its own cancellation ("connection
			// failed ... try again"), not news.
			doing := fmt.Sprintf("before the subscription to %s at %s was made", oneLineText(dest), redactURL(r.cl.URL()))
			if code, serr, ok := signalledExit(sigCtx, doing, errors.New("no message was received")); ok {
				err = withCode(code, serr)
			} else {
				err = nil
			}
		}
		err = loginHint(err, c.IsSet("user"), r.sessionUser, r.session)
		err = messagingDestHint(err, dest)
		tally.flush()
		return r.finish(printFlexFault(c, err))
	}
	if verbosity(c) > 0 {
		infof(c, "subscribed to %s (subscription %s); Ctrl-C stops", dest, sub.ID)
	}
	sub.MaxOutage = outage
	n := 0
	var werr error
	var budget pollBudget
	show := func(m *amf.Object) bool {
		// A message is written as it is rendered, and bounded as
		// call's result by the poll reply that brought it: the
		// messages of one reply share its bound, else a reply naming
		// one big message many times by reference printed the bound
		// at each.
		replyLimits(opts, sel, r.trace)
		werr = budget.print(out, opts, sel, r.trace.ResponseBody, flexMessageLine(m))
		if errors.As(werr, new(*convert.OutputLimitError)) {
			werr = fmt.Errorf("the messages of a %d-byte poll reply from %s: %w", len(r.trace.ResponseBody), redactURL(r.cl.URL()), werr)
		}
		n++
		return werr == nil && (count == 0 || n < count)
	}
	// --for's end: no poll starts after it but a last one, and a
	// poll under way then is given a few seconds to answer (a reply
	// that has started, to its end), so that what was published
	// within --for is printed (the reply to a poll under way was
	// dropped, with no word).
	if dl, ok := ctx.Deadline(); ok && limit > 0 {
		sub.Until, sub.Grace = dl, subscribeGrace
	}
	err = sub.Watch(sigCtx, interval, show)
	var oe *client.OutageError
	var uerr error
	if errors.As(err, &oe) {
		// Ended while the gateway did not answer (--retry-for
		// over, --for over, Ctrl-C): no unsubscribing from a gateway
		// that does not answer, which took up to 5s more after
		// Ctrl-C; a gateway that restarted has forgotten the
		// subscription anyway, and another ends it once it is not
		// polled. Not a normal end: nothing was received since.
		uerr = errors.New("the gateway did not answer")
		doing := fmt.Sprintf("while the gateway at %s did not answer (for %v)", redactURL(r.cl.URL()), oe.For)
		lost := fmt.Errorf("messages published since %s were not received", oe.Since.Format("2006-01-02T15:04:05.000Z07:00"))
		if code, serr, ok := signalledExit(sigCtx, doing, lost); ok && oe.Interrupted {
			err = withCode(code, serr)
		} else {
			e := withCode(exitNetwork, fmt.Errorf("subscribe to %s: %w", dest, err))
			// --for's end, not --retry-for's: ctx's deadline and
			// sub.Until are the same instant, and Watch may return at
			// Until before ctx's own timer has fired (the hint then
			// said to raise --retry-for, which had not run out).
			if ctx.Err() != nil || (!sub.Until.IsZero() && !time.Now().Before(sub.Until)) {
				e = e.hint("--for (" + durationText(c.String("for")) + ") ended while the gateway did not answer")
			} else {
				e = e.hint("--retry-for DURATION tries a gateway that stops answering for longer (now " + retryForText(outage) + ")")
			}
			err = e
		}
	} else {
		// Unsubscribe on the way out, also after Ctrl-C, within a few
		// seconds.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		uerr = sub.Unsubscribe(uctx)
	}
	tally.flush()
	if verbosity(c) > 0 && uerr == nil {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		infof(c, "unsubscribed after %d message%s", n, plural)
	}
	if err == nil && errors.Is(werr, syscall.EPIPE) {
		// Nobody reads stdout any more: no error to print on it.
		if ferr := r.finish(nil); ferr != nil {
			warnf(c, "%v", ferr)
		}
		signal.Stop(pipe)
		dieByBrokenPipe()
	}
	if err == nil {
		err = werr
	}
	if err == nil && uerr != nil {
		warnf(c, "unsubscribing failed: %v", uerr)
	}
	err = pollingHint(pollFault(err, dest, n), redactURL(r.cl.URL()), r.cl.FlexEndpoint())
	return r.finish(printFlexFault(c, err))
}

// pollingHint adds to BlazeDS's fault for a poll on a channel that takes
// none (Server.PollNotSupported: a channel without polling-enabled, such
// as its my-amf, which is the URL a user calls RemoteObjects at, or a
// streaming one) where polls go. The subscription was acknowledged, and
// the first poll ended subscribe with the fault alone.
func pollingHint(err error, gateway, endpoint string) error {
	var f *client.Fault
	if !errors.As(err, &f) || !strings.EqualFold(f.Code, "Server.PollNotSupported") {
		return err
	}
	return withHint(err, "the channel at "+gateway+" (--endpoint "+oneLineText(endpoint)+") takes no polls: subscribe polls, as a Flex Consumer on a polling channel does; give the URL of a channel with polling-enabled (BlazeDS's my-polling-amf, .../messagebroker/amfpolling) and its id as --endpoint (my-polling-amf)")
}

// retryForText is --retry-for as subscribe has it (0: the default,
// negative: none).
func retryForText(d time.Duration) string {
	switch {
	case d == 0:
		return client.DefaultMaxOutage.String()
	case d < 0:
		return "0"
	}
	return d.String()
}

// maxWarnKinds bounds the kinds of warning subscribe tells; those past
// it are counted only.
const maxWarnKinds = 20

// warnTally tells each kind of warning once, and counts the others of
// its kind (and those past maxWarnKinds kinds), for flush to tell at the
// end. Two warnings are of one kind when they differ only in their
// numbers and their quoted parts (a path, an id).
type warnTally struct {
	warn   func(string)
	mu     sync.Mutex
	kinds  map[string]*warnKind
	order  []*warnKind
	others int
}

type warnKind struct {
	first string
	more  int
}

func (t *warnTally) add(msg string) {
	k := warnKindOf(msg)
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := t.kinds[k]; w != nil {
		w.more++
		return
	}
	if len(t.order) >= maxWarnKinds {
		t.others++
		return
	}
	if t.kinds == nil {
		t.kinds = map[string]*warnKind{}
	}
	w := &warnKind{first: msg}
	t.kinds[k] = w
	t.order = append(t.order, w)
	t.warn(msg)
}

// flush tells how many warnings were not repeated, one line a kind, and
// starts the counts afresh.
func (t *warnTally) flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, w := range t.order {
		if w.more > 0 {
			times := "times"
			if w.more == 1 {
				times = "time"
			}
			t.warn(fmt.Sprintf("%d more %s, not repeated: %s", w.more, times, textcut.Cut(w.first, 100)))
			w.more = 0
		}
	}
	if t.others > 0 {
		t.warn(fmt.Sprintf("%d more warnings, of kinds past the first %d, not shown", t.others, maxWarnKinds))
		t.others = 0
	}
}

// warnKindOf is msg with its numbers and quoted parts blanked.
func warnKindOf(msg string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(msg); i++ {
		ch := msg[i]
		switch {
		case quoted && ch == '\\':
			i++
		case ch == '"':
			quoted = !quoted
			b.WriteByte(ch)
		case quoted:
		case ch >= '0' && ch <= '9':
			if b.Len() == 0 || !strings.HasSuffix(b.String(), "#") {
				b.WriteByte('#')
			}
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// pollBudget is what is left of the output bound of one poll reply
// (--max-output, by default 1000 times the reply's bytes, at most 1 GiB)
// for the messages it brought.
type pollBudget struct {
	reply *byte // the first byte of the reply the budget is for
	limit int64 // the reply's bound
	left  int64
}

// print writes the JSON line of a message of the poll reply body
// within what is left of the reply's bound (opts.MaxOutput, which
// replyLimits has sized from it), a new reply starting afresh. Past the
// bound, the error is an OutputLimitError of the reply's bound.
func (b *pollBudget) print(out io.Writer, opts *convert.Options, sel *callSettings, body []byte, v any) error {
	if len(body) > 0 && &body[0] != b.reply {
		b.reply = &body[0]
		b.limit = opts.MaxOutput
		if b.limit <= 0 {
			b.limit = 1 << 30 // convert's default
		}
		b.left = b.limit
	}
	if b.reply == nil {
		// No reply traced (not met: a message comes in one): the
		// bound per message, as before.
		return printCallValue(out, opts, sel, v, true)
	}
	if b.left <= 0 {
		return &convert.OutputLimitError{Limit: b.limit}
	}
	o := *opts
	o.MaxOutput = b.left
	w := &countingWriter{w: out}
	err := printCallValue(w, &o, sel, v, true)
	b.left -= w.n
	if errors.As(err, new(*convert.OutputLimitError)) {
		return &convert.OutputLimitError{Limit: b.limit}
	}
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// pollFault says where a fault met while subscribed came from: a poll,
// after n messages, whose lines are on stdout before the fault's. The
// fault's JSON is printed on stdout as call prints a fault (cli.md: "the
// fault is printed as JSON on stdout"), so it is a line among the
// messages' lines, with faultCode where a message line has body; the
// hint says which line it is.
func pollFault(err error, dest string, n int) error {
	var f *client.Fault
	if !errors.As(err, &f) {
		return err
	}
	plural := "s"
	if n == 1 {
		plural = ""
	}
	return withCode(exitFault, fmt.Errorf("subscribe to %s: a poll after %d message%s was answered with a fault, so subscribe stopped: %w", dest, n, plural, err)).
		hint(`the last line on stdout is that fault, not a message: its JSON as call prints a fault ({"faultCode", "faultString", ...})`)
}

// dieByBrokenPipe ends the process as a write to a closed stdout pipe
// does when SIGPIPE is not caught (the shell's status 141): with
// SIGPIPE's default action back, one more write to stdout has the
// runtime raise it. Where that does not end the process (Windows, or
// SIGPIPE ignored by the parent), it exits with 141.
func dieByBrokenPipe() {
	signal.Reset(syscall.SIGPIPE)
	os.Stdout.Write([]byte("\n"))
	os.Exit(128 + 13)
}

// flexMessageLine is the JSON line subscribe prints for a message.
func flexMessageLine(m *amf.Object) *amf.Object {
	line := &amf.Object{}
	add := func(name string, v any) { line.Members = append(line.Members, amf.Member{Name: name, Value: v}) }
	add("destination", amf.FlexField(m, "destination"))
	h, _ := amf.FlexField(m, "headers").(*amf.Object)
	var sub, priority any
	user := &amf.Object{}
	if h != nil {
		for _, hm := range h.Members {
			switch {
			case hm.Name == "DSSubtopic":
				sub = amf.Unwrap(hm.Value)
			case hm.Name == "DSPriority":
				priority = amf.Unwrap(hm.Value)
			case !strings.HasPrefix(hm.Name, "DS"):
				user.Members = append(user.Members, hm)
			}
		}
	}
	add("subtopic", sub)
	if priority != nil {
		// BlazeDS delivers a message with the priority its
		// producer gave (or its destination's default): a Consumer
		// sees it in the headers, which the line shows without
		// Flex's own.
		add("priority", priority)
	}
	add("messageId", amf.FlexField(m, "messageId"))
	add("timestamp", amf.FlexField(m, "timestamp"))
	add("headers", user)
	add("body", amf.FlexField(m, "body"))
	client.ShareAnonymousTraits(line)
	return line
}

// checkSubtopic refuses an empty --subtopic (a variable left empty, most
// likely): sent, it reads as no subtopic at all, the whole destination.
func checkSubtopic(c *cli.Context) error {
	if c.IsSet("subtopic") && c.String("subtopic") == "" {
		return usageErrorf("--subtopic is empty").
			hint("name a subtopic, or leave --subtopic out for the destination's messages without one")
	}
	return nil
}

// maxKeptRequests bounds the requests a Flex call keeps for
// --save-request: a ping, a login and the call are three.
const maxKeptRequests = 16

// flexRequests is the event handler of a call with the Flex flags and
// --save-request: it keeps the body of each request sent (the ping and
// the login before the call), so that all of them are saved, not only
// the last one, which the trace keeps.
type flexRequests struct {
	client.EventHandler
	bodies  [][]byte
	dropped int
}

func (k *flexRequests) OnRequest(ev *client.RequestEvent) {
	if ev.Body != nil {
		if len(k.bodies) < maxKeptRequests {
			k.bodies = append(k.bodies, ev.Body)
		} else {
			k.dropped++
		}
	}
	k.EventHandler.OnRequest(ev)
}

// keepFlexRequests returns h, or for a call with the Flex flags and
// --save-request a handler around it that keeps every request's bytes
// (nil otherwise).
func keepFlexRequests(s *callSettings, h client.EventHandler) (client.EventHandler, *flexRequests) {
	if s.flex == nil || s.saveReq == "" {
		return h, nil
	}
	k := &flexRequests{EventHandler: h}
	return k, k
}

// numberedName is path with n before its extension: req.amf, 2 gives
// req.2.amf; req gives req.2.
func numberedName(path string, n int) string {
	ext := filepath.Ext(path)
	if strings.ContainsAny(ext, `/\`) || ext == path || ext == filepath.Base(path) {
		ext = ""
	}
	return fmt.Sprintf("%s.%d%s", strings.TrimSuffix(path, ext), n, ext)
}

// saveRequests writes --save-request: last, the call's request, to
// FILE, as without the Flex flags; the requests sent before it in the
// run (kept: the ping for the DSId, the login) to FILE's name numbered in
// the order sent (req.1.amf, req.2.amf), and stderr says which is which,
// so that what the gateway got can be replayed or dumped in order.
func saveRequests(c *cli.Context, s *callSettings, kept *flexRequests, last []byte) error {
	var before [][]byte
	if kept != nil && len(kept.bodies) > 1 {
		before = kept.bodies[:len(kept.bodies)-1]
	}
	if len(before) > 0 && !numberedBeside(c, s.saveReq) {
		// /dev/null, /dev/stdout, a FIFO: "/dev/null.1" was created in
		// /dev (as root; exit 2 after the call for anyone else).
		if err := saveFile(c, "--save-request", s.saveReq, last); err != nil {
			return err
		}
		infof(c, "--save-request: this run sent %d requests; %s holds the last (%s), and %s before it went unsaved: the earlier requests are saved, numbered, beside a regular FILE only",
			len(before)+1+kept.dropped, s.saveReq, flexRequestWhat(last), plural(len(before)+kept.dropped, "request"))
		return nil
	}
	var names []string
	for i, b := range before {
		name := numberedName(s.saveReq, i+1)
		what := flexRequestWhat(b)
		if flag := savedByOther(s, name); flag != "" {
			// --save-response r.1.amf: it replaced the login's bytes,
			// which stderr said r.1.amf held.
			names = append(names, fmt.Sprintf("%s (%s: not saved, as %s writes that file)", name, what, flag))
			continue
		}
		if err := saveFile(c, "--save-request", name, b); err != nil {
			return err
		}
		names = append(names, fmt.Sprintf("%s (%s)", name, what))
	}
	if err := saveFile(c, "--save-request", s.saveReq, last); err != nil {
		return err
	}
	if len(before) > 0 {
		more := ""
		if kept.dropped > 0 {
			more = fmt.Sprintf("; %s after the first %d not kept", plural(kept.dropped, "request"), maxKeptRequests)
		}
		infof(c, "--save-request: this run sent %d requests, in this order: %s, then %s (%s)%s",
			len(before)+1+kept.dropped, strings.Join(names, ", "), s.saveReq, flexRequestWhat(last), more)
	}
	return nil
}

// numberedBeside reports whether the requests before the last are
// saved beside path, numbered: when it names a regular file, or none
// yet (not a device, a FIFO or stdout).
func numberedBeside(c *cli.Context, path string) bool {
	if envOf(c).isStdout(path) || envOf(c).openStream(path) != nil { // net17: /dev/stderr, /dev/fd/N
		return false
	}
	st, err := os.Stat(path)
	return err != nil || st.Mode().IsRegular()
}

// savedByOther names the flag of the call that writes the file name
// too (--save-response, --session), or "".
func savedByOther(s *callSettings, name string) string {
	for _, o := range []struct{ flag, path string }{{"--save-response", s.saveResp}, {"--session", s.session}} {
		if o.path == "" {
			continue
		}
		if filepath.Clean(o.path) == filepath.Clean(name) {
			return o.flag
		}
		a, aerr := os.Stat(o.path)
		b, berr := os.Stat(name)
		if aerr == nil && berr == nil && os.SameFile(a, b) {
			return o.flag
		}
	}
	return ""
}

// flexRequestWhat names what a request packet holds, for people: the
// Flex operations of its messages (ping, login, logout, call OP), or its
// message count.
func flexRequestWhat(b []byte) string {
	p, err := amf.UnmarshalPacket(b)
	if err != nil {
		return plural(len(b), "byte")
	}
	var what []string
	for _, m := range p.Messages {
		msg := flexMessageOf(m.Value)
		if msg == nil {
			what = append(what, "call "+oneLineText(m.Target))
			continue
		}
		if op, ok := amf.FlexField(msg, "operation").(string); ok {
			what = append(what, "call "+oneLineText(op))
			continue
		}
		switch op := amf.FlexField(msg, "operation"); op {
		case amf.Int(client.OpPing):
			what = append(what, "ping")
		case amf.Int(client.OpLogin):
			what = append(what, "login")
		case amf.Int(client.OpLogout):
			what = append(what, "logout")
		default:
			what = append(what, "command "+oneLineText(fmt.Sprint(op)))
		}
	}
	return strings.Join(what, " and ")
}

// flexMessageOf is the Flex message a remoting message's value carries
// (the first element of its argument array), or nil.
func flexMessageOf(v any) *amf.Object {
	if av, ok := v.(amf.AVMPlus); ok {
		v = av.Value
	}
	if a, ok := v.(*amf.Array); ok && len(a.Dense) > 0 {
		v = a.Dense[0]
	}
	if av, ok := v.([]any); ok && len(av) > 0 {
		v = av[0]
	}
	if av, ok := v.(amf.AVMPlus); ok {
		v = av.Value
	}
	o, _ := v.(*amf.Object)
	return o
}
